import { Form } from "@remix-run/react";
import type { MouseEvent, ReactNode } from "react";
import type { UserRole } from "~/db/schema";
import type { BooklistRow } from "~/lib/booklist";
import type { CommentNode } from "~/lib/comment-tree";
import { libraryTypeLabels } from "~/lib/library-types";
import { can } from "~/lib/permissions";
import type { ThreadComment } from "~/models/thread-page.server";
import { BooklistTable } from "./booklist-editor";
import { RelativeTime } from "./relative-time";
import { AppLink } from "./app-link";

export type Viewer = { id: number; role: UserRole } | null;

type TreeProps = {
  nodes: CommentNode<ThreadComment>[];
  /** The booklists of the comments that have one, by comment id. */
  booklists: Record<number, BooklistRow[]>;
  now: Date;
  viewer: Viewer;
  /** False on a locked thread: no Reply controls. */
  canReply: boolean;
  /** The ids of the comments the viewer marked Helpful. */
  votedCommentIds: ReadonlySet<number>;
  /** The thread is a Question: its comments can be accepted answers. */
  isQuestion: boolean;
  /** The viewer may accept an answer here (the asker or a moderator, on a published question). */
  canAccept: boolean;
  acceptedCommentId: number | null;
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
  booklists,
  now,
  viewer,
  canReply,
  votedCommentIds,
  isQuestion,
  canAccept,
  acceptedCommentId,
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
  const approved = comment.status === "approved";
  const accepted = isQuestion && approved && comment.id === acceptedCommentId;
  const openInline = (event: MouseEvent) => {
    if (!viewer || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    onReply(comment.id);
  };
  return (
    <article
      id={anchor}
      tabIndex={-1}
      className={pending ? "comment comment--pending" : accepted ? "comment comment--accepted" : "comment"}
      // Named "Reply by …", not "Comment by …": a label containing "Comment" would
      // also answer getByLabel("Comment"), the name of the reply box.
      aria-label={`Reply by ${comment.authorDisplayName}`}
    >
      <p className="comment__meta">
        <AppLink to={`/u/${comment.authorUsername}`} className="comment__author">
          {comment.authorDisplayName}
        </AppLink>
        <span className="library-type"> · {libraryTypeLabels[comment.authorLibraryType]}</span> ·{" "}
        <a href={`#${anchor}`} className="comment__permalink">
          <RelativeTime date={comment.createdAt} now={now} />
        </a>
        {comment.editedAt ? (
          <>
            {" · "}
            {can(viewer, "edit", comment) ? (
              <AppLink to={`/comments/${comment.id}/revisions`} className="edited">
                edited
              </AppLink>
            ) : (
              <span className="edited">edited</span>
            )}
          </>
        ) : null}
        {accepted ? (
          <>
            {" · "}
            <span className="accepted-badge">Accepted answer</span>
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
      {booklists[comment.id]?.length ? <BooklistTable rows={booklists[comment.id]!} /> : null}
      {approved ? (
        <HelpfulControl
          kind="comment"
          id={comment.id}
          count={comment.helpfulCount}
          pressed={votedCommentIds.has(comment.id)}
          canMark={Boolean(viewer) && viewer?.id !== comment.authorId}
        />
      ) : null}
      {canAccept && approved ? (
        <Form method="post" className="accept-form" preventScrollReset>
          <input type="hidden" name="intent" value={accepted ? "unaccept" : "accept"} />
          <input type="hidden" name="commentId" value={comment.id} />
          <button type="submit" className="button--secondary">
            {accepted ? "Remove acceptance" : "Accept answer"}
          </button>
        </Form>
      ) : null}
      <p className="comment__actions">
        {canReply && !pending ? (
          <AppLink
            id={`reply-link-${comment.id}`}
            to={`?replyTo=${comment.id}#reply`}
            onClick={openInline}
            preventScrollReset
          >
            Reply
          </AppLink>
        ) : null}
        {can(viewer, "edit", comment) ? <AppLink to={`/comments/${comment.id}/edit`}>Edit</AppLink> : null}
        {viewer && viewer.id !== comment.authorId && comment.status === "approved" ? (
          <AppLink to={`/comments/${comment.id}/flag`} rel="nofollow">
            Flag
          </AppLink>
        ) : null}
      </p>
    </article>
  );
}

/**
 * The Helpful mark of a post or comment: a button with its count for members
 * other than the author (a plain POST form, so it works without JavaScript),
 * the count alone for everyone else once someone found it helpful.
 */
export function HelpfulControl({
  kind,
  id,
  count,
  pressed,
  canMark,
}: {
  kind: "post" | "comment";
  id: number;
  count: number;
  pressed: boolean;
  canMark: boolean;
}) {
  if (!canMark) {
    return count > 0 ? <p className="helpful helpful--count">{count} found this helpful</p> : null;
  }
  return (
    <Form method="post" className="helpful" preventScrollReset>
      <input type="hidden" name="intent" value="helpful" />
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="helpful" value={pressed ? "false" : "true"} />
      <button
        type="submit"
        className={
          pressed
            ? "button--secondary helpful__button helpful__button--on"
            : "button--secondary helpful__button"
        }
        aria-pressed={pressed}
      >
        Helpful · {count}
      </button>
    </Form>
  );
}
