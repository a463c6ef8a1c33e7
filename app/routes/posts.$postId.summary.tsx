import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { readForm } from "~/lib/request.server";
import { z } from "zod";
import { CheckboxField, FormError, TextAreaField, useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { RevisionList } from "~/components/revision-list";
import { requireUser } from "~/lib/auth.server";
import { invariantResponse, parseId } from "~/lib/http.server";
import { canAcceptAnswer } from "~/lib/permissions";
import { privatePageMeta } from "~/lib/seo";
import { formValues, parseForm, type FieldErrors } from "~/lib/validation";
import {
  getAnswerSummaryForEditing,
  listAnswerSummaryRevisions,
  listCreditableComments,
  MAX_SUMMARY_CREDITS,
  saveAnswerSummary,
  type SaveAnswerSummaryResult,
} from "~/models/answer-summaries.server";
import { getPublishedPost } from "~/models/posts.server";

export const meta: MetaFunction = () => privatePageMeta("Summary of answers");

const SUMMARY_MAX = 10_000;

const summarySchema = z.object({
  body: z
    .string({ error: "Write the summary." })
    .max(SUMMARY_MAX, `Keep the summary to ${SUMMARY_MAX.toLocaleString("en-US")} characters.`)
    .refine((value) => value.trim().length > 0, "Write the summary."),
});

// Checkbox values: ids of this question's replies, which the model checks again under the post's lock.
const creditsField = z
  .array(
    z
      .string()
      .regex(/^[1-9]\d{0,9}$/, "Choose replies from the list.")
      .transform(Number),
  )
  .max(MAX_SUMMARY_CREDITS, `Credit at most ${MAX_SUMMARY_CREDITS} replies.`)
  .refine((ids) => ids.every((id) => id <= 2_147_483_647), "Choose replies from the list.");

/** The asker's question, or a moderator's view of anyone's; anything else is refused here. */
async function loadQuestion(request: Request, postIdParameter: string | undefined) {
  const user = await requireUser(request);
  const postId = parseId(postIdParameter);
  invariantResponse(postId, "There is no such post.", { status: 404 });
  const post = await getPublishedPost(postId);
  invariantResponse(post, "There is no such post. It may have been removed.", { status: 404 });
  invariantResponse(post.kind === "question", "Only a question has a summary of answers.", { status: 404 });
  invariantResponse(
    canAcceptAnswer(user, post),
    "Only the person who asked, or a moderator, may summarise the answers.",
    { status: 403 },
  );
  return { user, post };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { post } = await loadQuestion(request, params.postId);
  const [summary, replies, revisions] = await Promise.all([
    getAnswerSummaryForEditing(post.id),
    listCreditableComments(post.id),
    listAnswerSummaryRevisions(post.id),
  ]);
  return {
    post: { id: post.id, slug: post.slug, title: post.title },
    hasSummary: summary !== undefined,
    body: summary?.bodyMd ?? "",
    credited: (summary?.creditedCommentIds ?? []).map(String),
    replies,
    revisions,
  };
}

type SummaryData = {
  errors: FieldErrors;
  values: Record<string, string>;
  credited: string[];
  formError: string | null;
};

const refusals: Record<
  Exclude<SaveAnswerSummaryResult, { ok: true }>["reason"],
  { status: number; message: string }
> = {
  "post-not-found": { status: 404, message: "There is no such post. It may have been removed." },
  "not-question": { status: 404, message: "Only a question has a summary of answers." },
  forbidden: {
    status: 403,
    message: "Only the person who asked, or a moderator, may summarise the answers.",
  },
  "comment-not-found": {
    status: 400,
    message:
      "A reply you chose was deleted or removed, or is awaiting moderation, so it can't be credited. Choose from the list again.",
  },
};

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, post } = await loadQuestion(request, params.postId);
  const formData = await readForm(request);
  const credited = formData.getAll("credit").filter((value): value is string => typeof value === "string");
  const values = { body: formValues(formData).body ?? "" };
  const parsed = parseForm(summarySchema, formData);
  const credits = creditsField.safeParse(credited);
  if (!parsed.ok || !credits.success) {
    const errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    if (!credits.success)
      errors.credit = [credits.error.issues[0]?.message ?? "Choose replies from the list."];
    return data<SummaryData>({ errors, values, credited, formError: null }, { status: 400 });
  }

  const result = await saveAnswerSummary({
    postId: post.id,
    actor: user,
    bodyMd: parsed.data.body,
    creditedCommentIds: credits.data,
  });
  if (!result.ok) {
    const refusal = refusals[result.reason];
    if (result.reason === "comment-not-found") {
      return data<SummaryData>(
        { errors: { credit: [refusal.message] }, values, credited, formError: null },
        { status: refusal.status },
      );
    }
    invariantResponse(false, refusal.message, { status: refusal.status });
  }
  return redirect(`/posts/${post.id}/${post.slug}#answer-summary`);
}

export default function AnswerSummaryPage() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as SummaryData | undefined;
  const formKey = useFormKey(actionData);
  const saving = useNavigation().state === "submitting";
  const { post, replies, revisions } = loaderData;
  const checked = new Set(actionData?.credited ?? loaderData.credited);
  const creditErrors = actionData?.errors.credit;
  const threadPath = `/posts/${post.id}/${post.slug}`;
  return (
    <div className="composer">
      <h1>Summary of answers</h1>
      <p>
        On <Link to={threadPath}>“{post.title}”</Link>. Say what you learned from the replies and what you
        decided. The summary is shown right under the question, marks it answered, and comes first in search.
        {loaderData.hasSummary ? " The previous version is kept below." : null}
      </p>
      <Form method="post" noValidate key={formKey}>
        <FormError message={actionData?.formError} />
        <TextAreaField
          id="summary-body"
          label="Summary of answers"
          name="body"
          rows={10}
          defaultValue={actionData?.values.body ?? loaderData.body}
          errors={actionData?.errors.body}
          hint={`Markdown works. Up to ${SUMMARY_MAX.toLocaleString("en-US")} characters.`}
        />
        {replies.length > 0 ? (
          <fieldset
            className="field"
            aria-describedby={["credit-hint", creditErrors ? "credit-error" : ""].filter(Boolean).join(" ")}
          >
            <legend>Credit the replies it draws on</legend>
            <p id="credit-hint" className="field__hint">
              Each person you credit is linked from the summary and told about it once.
            </p>
            {replies.map((reply) => (
              <CheckboxField
                key={reply.id}
                id={`credit-${reply.id}`}
                name="credit"
                value={String(reply.id)}
                label={`${reply.authorDisplayName}: “${reply.excerpt}”`}
                defaultChecked={checked.has(String(reply.id))}
              />
            ))}
            {creditErrors ? (
              <p id="credit-error" className="field__error">
                {creditErrors.join(" ")}
              </p>
            ) : null}
          </fieldset>
        ) : (
          <p>There are no replies to credit yet.</p>
        )}
        <button type="submit" disabled={saving}>
          Save summary
        </button>
      </Form>
      {revisions.length > 0 ? (
        <section aria-labelledby="earlier-versions-heading">
          <h2 id="earlier-versions-heading">Earlier versions</h2>
          <RevisionList revisions={revisions} />
        </section>
      ) : null}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
