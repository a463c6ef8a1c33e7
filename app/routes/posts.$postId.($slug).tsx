import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CommentTree } from "~/components/comment-tree";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { RelativeTime } from "~/components/relative-time";
import { buildCommentTree } from "~/lib/comment-tree";
import { invariantResponse, parseId } from "~/lib/http.server";
import { libraryTypeLabels } from "~/lib/library-types";
import { postKindLabels } from "~/lib/post-kinds";
import { listApprovedPostComments } from "~/models/comments.server";
import { getPublishedPost } from "~/models/posts.server";

export function meta({ data }: Parameters<MetaFunction<typeof loader>>[0]) {
  return [{ title: data ? `${data.post.title} · Crosswalk` : "Not found · Crosswalk" }];
}

export async function loader({ params }: LoaderFunctionArgs) {
  const postId = parseId(params.postId);
  invariantResponse(postId, "There is no such post.", { status: 404 });
  const post = await getPublishedPost(postId);
  invariantResponse(post, "There is no such post. It may have been removed.", { status: 404 });
  const comments = await listApprovedPostComments(post.id);
  return { post, comments: buildCommentTree(comments), now: new Date() };
}

export default function Thread() {
  const { post, comments, now } = useLoaderData<typeof loader>();
  return (
    <article className="thread" aria-labelledby="post-title">
      <header className="thread__header">
        <p className="thread__kind">
          <span className={`kind-badge kind-badge--${post.kind}`}>{postKindLabels[post.kind]}</span>
        </p>
        <h1 id="post-title">{post.title}</h1>
        <p className="byline">
          <Link to={`/u/${post.authorUsername}`}>{post.authorDisplayName}</Link>
          <span className="library-type"> · {libraryTypeLabels[post.authorLibraryType]}</span> ·{" "}
          <RelativeTime date={post.createdAt} now={now} />
          {post.editedAt ? <span className="edited"> · edited</span> : null}
        </p>
        {post.tags.length > 0 ? (
          <ul className="tag-list" aria-label="Tags">
            {post.tags.map((tag) => (
              <li key={tag} className="tag">
                {tag}
              </li>
            ))}
          </ul>
        ) : null}
      </header>
      {/* Stored HTML from renderMarkdown, sanitized when it was saved. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />

      <section className="replies" aria-labelledby="replies-heading">
        <h2 id="replies-heading">
          {post.commentCount} {post.commentCount === 1 ? "reply" : "replies"}
        </h2>
        {comments.length > 0 ? (
          <CommentTree nodes={comments} now={now} />
        ) : (
          <p className="empty">No replies yet.</p>
        )}
      </section>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
