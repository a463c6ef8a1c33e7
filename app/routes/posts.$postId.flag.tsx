import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, Notice, SelectField, TextAreaField, useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { requireUser } from "~/lib/auth.server";
import { invariantResponse, parseId } from "~/lib/http.server";
import {
  consumeRateLimit,
  refundRateLimit,
  retryAfterSeconds,
  tooManyRequestsMessage,
} from "~/lib/rate-limit.server";
import { plainExcerpt } from "~/lib/text";
import { parseForm, type FieldErrors } from "~/lib/validation";
import {
  FLAG_NOTE_MAX,
  FLAGS_TO_HIDE,
  flagContent,
  flagFormSchema,
  flagReasonOptions,
  getFlaggableItem,
  type FlagResult,
} from "~/models/flags.server";

export const meta: MetaFunction = () => [{ title: "Flag this post · Crosswalk" }];

const refusals: Record<Exclude<FlagResult, { ok: true }>["reason"], { status: number; message: string }> = {
  unavailable: { status: 404, message: "This post is no longer available." },
  own: { status: 403, message: "You can't flag your own post." },
  "already-flagged": { status: 409, message: "You have already flagged this." },
};

async function loadFlaggablePost(request: Request, postIdParameter: string | undefined) {
  const user = await requireUser(request);
  const postId = parseId(postIdParameter);
  invariantResponse(postId, "There is no such post.", { status: 404 });
  const post = await getFlaggableItem({ kind: "post", id: postId }, user.id);
  invariantResponse(post, "There is no such post. It may have been removed.", { status: 404 });
  invariantResponse(post.authorId !== user.id, refusals.own.message, { status: 403 });
  return { user, post };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { post } = await loadFlaggablePost(request, params.postId);
  return {
    item: {
      title: post.postTitle,
      authorDisplayName: post.authorDisplayName,
      excerpt: plainExcerpt(post.bodyMd, 300),
      threadPath: `/posts/${post.postId}/${post.postSlug}`,
    },
    alreadyFlagged: post.alreadyFlagged,
    reasons: flagReasonOptions,
    noteMax: FLAG_NOTE_MAX,
    flagsToHide: FLAGS_TO_HIDE,
  };
}

type FlagData = { errors: FieldErrors; values: Record<string, string>; formError: string | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, post } = await loadFlaggablePost(request, params.postId);
  invariantResponse(!post.alreadyFlagged, refusals["already-flagged"].message, { status: 409 });
  const parsed = parseForm(flagFormSchema, await request.formData());
  if (!parsed.ok) {
    return data<FlagData>({ errors: parsed.errors, values: parsed.values, formError: null }, { status: 400 });
  }

  const rateSubject = String(user.id);
  const { allowed, bucket } = await consumeRateLimit("flagsPerMember", rateSubject);
  if (!allowed) {
    return data<FlagData>(
      {
        errors: {},
        values: { reason: parsed.data.reason, note: parsed.data.note },
        formError: tooManyRequestsMessage(bucket, "You have sent a lot of flags today."),
      },
      { status: 429, headers: { "Retry-After": String(retryAfterSeconds(bucket)) } },
    );
  }
  const result = await flagContent({
    flaggerId: user.id,
    target: { kind: "post", id: post.postId },
    reason: parsed.data.reason,
    note: parsed.data.note,
  });
  if (!result.ok) {
    await refundRateLimit("flagsPerMember", rateSubject);
    const refusal = refusals[result.reason];
    throw new Response(refusal.message, {
      status: refusal.status,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  // The flag that hides the post also closes its page: go to the front page instead.
  return redirect(result.hidden ? "/?flagged=1" : `/posts/${result.postId}/${result.postSlug}?flagged=1`);
}

export default function FlagPost() {
  const { item, alreadyFlagged, reasons, noteMax, flagsToHide } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FlagData | undefined;
  const formKey = useFormKey(actionData);
  const sending = useNavigation().state === "submitting";
  return (
    <div className="composer">
      <h1>Flag this post</h1>
      <p>
        <Link to={item.threadPath}>{item.title}</Link>, by {item.authorDisplayName}:
      </p>
      <blockquote>{item.excerpt}</blockquote>
      {alreadyFlagged ? (
        <Notice>You have already flagged this. A moderator will look at it.</Notice>
      ) : (
        <Form method="post" noValidate key={formKey}>
          <p>
            Tell the moderators what is wrong. Once {flagsToHide} members have flagged a post, it is hidden
            until a moderator has looked at it.
          </p>
          <FormError message={actionData?.formError} />
          <SelectField
            label="Reason"
            name="reason"
            options={reasons}
            placeholder="Choose a reason"
            required
            defaultValue={actionData?.values.reason ?? ""}
            errors={actionData?.errors.reason}
          />
          <TextAreaField
            label="Note"
            name="note"
            rows={5}
            maxLength={noteMax}
            hint={`Optional, up to ${noteMax.toLocaleString("en-US")} characters. Needed when the reason is Other.`}
            defaultValue={actionData?.values.note ?? ""}
            errors={actionData?.errors.note}
          />
          <button type="submit" disabled={sending}>
            Send flag
          </button>
        </Form>
      )}
      <p>
        <Link to={item.threadPath}>Back to the post</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
