import {
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { FlagForm, type FlagFormAnswer } from "~/components/flag-form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { requireUser } from "~/lib/auth.server";
import { invariantResponse, parseId } from "~/lib/http.server";
import { submitFlag } from "~/lib/flag-submission.server";
import { privatePageMeta } from "~/lib/seo";
import { plainExcerpt } from "~/lib/text";
import {
  FLAG_NOTE_MAX,
  FLAGS_TO_HIDE,
  flagReasonOptions,
  getFlaggableItem,
  type FlagResult,
} from "~/models/flags.server";
import { commentPath } from "~/lib/thread-links";

export const meta: MetaFunction = () => privatePageMeta("Flag this comment");

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
      commentPath: commentPath({ id: comment.postId, slug: comment.postSlug }, commentId),
    },
    alreadyFlagged: comment.alreadyFlagged,
    reasons: flagReasonOptions,
    noteMax: FLAG_NOTE_MAX,
    flagsToHide: FLAGS_TO_HIDE,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, commentId, comment } = await loadFlaggableComment(request, params.commentId);
  invariantResponse(!comment.alreadyFlagged, refusals["already-flagged"].message, { status: 409 });
  const submitted = await submitFlag(request, user.id, { kind: "comment", id: commentId }, refusals);
  if ("answer" in submitted) return submitted.answer;
  const result = submitted.flagged;
  return redirect(commentPath({ id: result.postId, slug: result.postSlug }, commentId, { flagged: "1" }));
}

export default function FlagComment() {
  const { item, alreadyFlagged, reasons, noteMax, flagsToHide } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FlagFormAnswer | undefined;
  return (
    <div className="composer">
      <h1>Flag this comment</h1>
      <p>
        A reply by {item.authorDisplayName} on <Link to={item.commentPath}>{item.postTitle}</Link>:
      </p>
      <blockquote>{item.excerpt}</blockquote>
      <FlagForm
        noun="comment"
        alreadyFlagged={alreadyFlagged}
        reasons={reasons}
        noteMax={noteMax}
        flagsToHide={flagsToHide}
        answer={actionData}
      />
      <p>
        <Link to={item.commentPath}>Back to the comment</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
