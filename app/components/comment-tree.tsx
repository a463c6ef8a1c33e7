import { Link } from "@remix-run/react";
import type { CommentNode } from "~/lib/comment-tree";
import { libraryTypeLabels } from "~/lib/library-types";
import type { ThreadComment } from "~/models/comments.server";
import { RelativeTime } from "./relative-time";

type Props = { nodes: CommentNode<ThreadComment>[]; now: Date };

/** Comments as nested lists; each comment is an article addressable as #comment-ID. */
export function CommentTree({ nodes, now }: Props) {
  return (
    <ol className="comment-list">
      {nodes.map((node) => (
        <li key={node.comment.id} className="comment-list__item">
          <CommentView node={node} now={now} />
          {node.replies.length > 0 ? <CommentTree nodes={node.replies} now={now} /> : null}
        </li>
      ))}
    </ol>
  );
}

function CommentView({ node, now }: { node: CommentNode<ThreadComment>; now: Date }) {
  const { comment, inReplyTo } = node;
  return (
    <article
      id={`comment-${comment.id}`}
      className="comment"
      aria-label={`Comment by ${comment.authorDisplayName}`}
    >
      <p className="comment__meta">
        <Link to={`/u/${comment.authorUsername}`} className="comment__author">
          {comment.authorDisplayName}
        </Link>
        <span className="library-type"> · {libraryTypeLabels[comment.authorLibraryType]}</span> ·{" "}
        <a href={`#comment-${comment.id}`} className="comment__permalink">
          <RelativeTime date={comment.createdAt} now={now} />
        </a>
        {comment.editedAt ? <span className="edited"> · edited</span> : null}
        {inReplyTo ? (
          <span className="comment__in-reply-to">
            {" "}
            · in reply to <a href={`#comment-${inReplyTo.id}`}>{inReplyTo.name}</a>
          </span>
        ) : null}
      </p>
      {/* Stored HTML from renderMarkdown, sanitized when it was saved. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: comment.bodyHtml }} />
    </article>
  );
}
