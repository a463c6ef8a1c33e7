import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { RevisionList } from "~/components/revision-list";
import { requireUser } from "~/lib/auth.server";
import { invariantResponse, parseId } from "~/lib/http.server";
import { can } from "~/lib/permissions";
import { privatePageMeta } from "~/lib/seo";
import { listRevisions } from "~/models/comments.server";
import { getCommentForEditing } from "~/models/writing.server";
import { commentPath } from "~/lib/thread-links";

export const meta: MetaFunction = () => privatePageMeta("Comment history");

/** The history is for the author and moderators (see posts.$postId.revisions.tsx). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const commentId = parseId(params.commentId);
  invariantResponse(commentId, "There is no such comment.", { status: 404 });
  const comment = await getCommentForEditing(commentId);
  // Only a comment everyone can see has a public history.
  invariantResponse(
    comment && comment.status === "approved" && !comment.deletedAt && comment.postStatus === "published",
    "There is no such comment.",
    { status: 404 },
  );
  invariantResponse(
    can(user, "edit", comment),
    "Only the author and moderators can see a comment's history.",
    {
      status: 403,
    },
  );
  return {
    comment: {
      id: comment.id,
      threadPath: `/posts/${comment.postId}/${comment.postSlug}`,
      postTitle: comment.postTitle,
    },
    revisions: await listRevisions({ commentId }),
  };
}

export default function CommentRevisions() {
  const { comment, revisions } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>History of a comment</h1>
      <p>
        On <Link to={commentPath(comment.threadPath, comment.id)}>{comment.postTitle}</Link>
      </p>
      <RevisionList revisions={revisions} />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
