import { Link } from "@remix-run/react";
import type { MouseEvent, ReactNode } from "react";
import type { UserRole } from "~/db/schema";
import type { CommentNode } from "~/lib/comment-tree";
import { libraryTypeLabels } from "~/lib/library-types";
import { can } from "~/lib/permissions";
import type { ThreadComment } from "~/models/comments.server";
import { RelativeTime } from "./relative-time";

export type Viewer = { id: number; role: UserRole } | null;

type TreeProps = {
  nodes: CommentNode<ThreadComment>[];
  now: Date;
  viewer: Viewer;
  /** False on a locked thread: no Reply controls. */
  canReply: boolean;
  /** With JavaScript: open the inline reply form under a comment instead of following the link. */
  onReply: (commentId: number) => void;
  /** The inline reply form to show under a comment, if it is the one being answered. */
  renderReplyForm: (commentId: number) => ReactNode;
};

/** Comments as nested lists; each comment is an article addressable as #comment-ID. */
export function CommentTree(props: TreeProps) {
  return (
    <ol className="comment-list">
      {props.nodes.map((node) => (
        <li key={node.comment.id} className="comment-list__item">
          <CommentView {...props} node={node} />
          {props.renderReplyForm(node.comment.id)}
          {node.replies.length > 0 ? <CommentTree {...props} nodes={node.replies} /> : null}
        </li>
      ))}
    </ol>
  );
}

function CommentView({
  node,
  now,
  viewer,
  canReply,
  onReply,
}: TreeProps & { node: CommentNode<ThreadComment> }) {
  const { comment, inReplyTo } = node;
  const anchor = `comment-${comment.id}`;
  if (comment.deletedAt) {
    return (
      <article id={anchor} tabIndex={-1} className="comment comment--deleted" aria-label="Deleted reply">
        <p className="comment__meta">[deleted]</p>
      </article>
    );
  }
  const pending = comment.status === "pending";
  const openInline = (event: MouseEvent) => {
    if (!viewer || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    onReply(comment.id);
  };
  return (
    <article
      id={anchor}
      tabIndex={-1}
      className={pending ? "comment comment--pending" : "comment"}
      // Named "Reply by …", not "Comment by …": a label containing "Comment" would
      // also answer getByLabel("Comment"), the name of the reply box.
      aria-label={`Reply by ${comment.authorDisplayName}`}
    >
      <p className="comment__meta">
        <Link to={`/u/${comment.authorUsername}`} className="comment__author">
          {comment.authorDisplayName}
        </Link>
        <span className="library-type"> · {libraryTypeLabels[comment.authorLibraryType]}</span> ·{" "}
        <a href={`#${anchor}`} className="comment__permalink">
          <RelativeTime date={comment.createdAt} now={now} />
        </a>
        {comment.editedAt ? (
          <>
            {" · "}
            {can(viewer, "edit", comment) ? (
              <Link to={`/comments/${comment.id}/revisions`} className="edited">
                edited
              </Link>
            ) : (
              <span className="edited">edited</span>
            )}
          </>
        ) : null}
        {inReplyTo ? (
          <span className="comment__in-reply-to">
            {" "}
            · in reply to <a href={`#comment-${inReplyTo.id}`}>{inReplyTo.name}</a>
          </span>
        ) : null}
      </p>
      {pending ? <p className="notice">Your comment is awaiting moderation.</p> : null}
      {/* Stored HTML from renderMarkdown, sanitized when it was saved. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
      <p className="comment__actions">
        {canReply && !pending ? (
          <Link
            id={`reply-link-${comment.id}`}
            to={`?replyTo=${comment.id}#reply`}
            onClick={openInline}
            preventScrollReset
          >
            Reply
          </Link>
        ) : null}
        {can(viewer, "edit", comment) ? <Link to={`/comments/${comment.id}/edit`}>Edit</Link> : null}
        {viewer && viewer.id !== comment.authorId && comment.status === "approved" ? (
          <Link to={`/comments/${comment.id}/flag`} rel="nofollow">
            Flag
          </Link>
        ) : null}
      </p>
    </article>
  );
}
