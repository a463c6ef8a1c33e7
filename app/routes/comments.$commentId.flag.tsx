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

export const meta: MetaFunction = () => [{ title: "Flag this comment · Crosswalk" }];

const refusals: Record<Exclude<FlagResult, { ok: true }>["reason"], { status: number; message: string }> = {
  unavailable: { status: 404, message: "This comment is no longer available." },
  own: { status: 403, message: "You can't flag your own comment." },
  "already-flagged": { status: 409, message: "You have already flagged this." },
};

async function loadFlaggableComment(request: Request, commentIdParameter: string | undefined) {
  const user = await requireUser(request);
  const commentId = parseId(commentIdParameter);
  invariantResponse(commentId, "There is no such comment.", { status: 404 });
  const comment = await getFlaggableItem({ kind: "comment", id: commentId }, user.id);
  invariantResponse(comment, "There is no such comment. It may have been removed.", { status: 404 });
  invariantResponse(comment.authorId !== user.id, refusals.own.message, { status: 403 });
  return { user, commentId, comment };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { commentId, comment } = await loadFlaggableComment(request, params.commentId);
  return {
    item: {
      postTitle: comment.postTitle,
      authorDisplayName: comment.authorDisplayName,
      excerpt: plainExcerpt(comment.bodyMd, 300),
      commentPath: `/posts/${comment.postId}/${comment.postSlug}#comment-${commentId}`,
    },
    alreadyFlagged: comment.alreadyFlagged,
    reasons: flagReasonOptions,
    noteMax: FLAG_NOTE_MAX,
    flagsToHide: FLAGS_TO_HIDE,
  };
}

type FlagData = { errors: FieldErrors; values: Record<string, string>; formError: string | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, commentId, comment } = await loadFlaggableComment(request, params.commentId);
  invariantResponse(!comment.alreadyFlagged, refusals["already-flagged"].message, { status: 409 });
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
    target: { kind: "comment", id: commentId },
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
  return redirect(`/posts/${result.postId}/${result.postSlug}?flagged=1#comment-${commentId}`);
}

export default function FlagComment() {
  const { item, alreadyFlagged, reasons, noteMax, flagsToHide } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FlagData | undefined;
  const formKey = useFormKey(actionData);
  const sending = useNavigation().state === "submitting";
  return (
    <div className="composer">
      <h1>Flag this comment</h1>
      <p>
        A reply by {item.authorDisplayName} on <Link to={item.commentPath}>{item.postTitle}</Link>:
      </p>
      <blockquote>{item.excerpt}</blockquote>
      {alreadyFlagged ? (
        <Notice>You have already flagged this. A moderator will look at it.</Notice>
      ) : (
        <Form method="post" noValidate key={formKey}>
          <p>
            Tell the moderators what is wrong. Once {flagsToHide} members have flagged a comment, it is hidden
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
        <Link to={item.commentPath}>Back to the comment</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
