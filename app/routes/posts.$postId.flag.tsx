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

export const meta: MetaFunction = () => privatePageMeta("Flag this post");

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

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, post } = await loadFlaggablePost(request, params.postId);
  invariantResponse(!post.alreadyFlagged, refusals["already-flagged"].message, { status: 409 });
  const submitted = await submitFlag(request, user.id, { kind: "post", id: post.postId }, refusals);
  if ("answer" in submitted) return submitted.answer;
  const result = submitted.flagged;
  // The flag that hides the post also closes its page: go to the front page instead.
  return redirect(result.hidden ? "/?flagged=1" : `/posts/${result.postId}/${result.postSlug}?flagged=1`);
}

export default function FlagPost() {
  const { item, alreadyFlagged, reasons, noteMax, flagsToHide } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FlagFormAnswer | undefined;
  return (
    <div className="composer">
      <h1>Flag this post</h1>
      <p>
        <Link to={item.threadPath}>{item.title}</Link>, by {item.authorDisplayName}:
      </p>
      <blockquote>{item.excerpt}</blockquote>
      <FlagForm
        noun="post"
        alreadyFlagged={alreadyFlagged}
        reasons={reasons}
        noteMax={noteMax}
        flagsToHide={flagsToHide}
        answer={actionData}
      />
      <p>
        <Link to={item.threadPath}>Back to the post</Link>
      </p>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
