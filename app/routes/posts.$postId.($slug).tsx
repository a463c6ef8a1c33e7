import {
  data,
  redirect,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import {
  Form,
  Link,
  useActionData,
  useLoaderData,
  useLocation,
  useNavigation,
  type ShouldRevalidateFunctionArgs,
} from "@remix-run/react";
import { useEffect, useState } from "react";
import { readForm } from "~/lib/request.server";
import { z } from "zod";
import { BooklistTable } from "~/components/booklist-editor";
import { CommentForm } from "~/components/comment-form";
import { PRIVACY_CONFIRMATION_FIELD, PRIVACY_REFUSAL } from "~/components/privacy-notice";
import { AppLink } from "~/components/app-link";
import { CommentTree, HelpfulControl } from "~/components/comment-tree";
import { FormError, TextField } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { RelativeTime } from "~/components/relative-time";
import { StoryCard } from "~/components/story-card";
import { getOptionalUser, requireUser } from "~/lib/auth.server";
import {
  applyBooklistIntent,
  isBooklistIntent,
  parseBooklist,
  readBookFormRows,
  bookFormValues,
} from "~/lib/booklist";
import { buildCommentTree, withoutDeletedLeaves } from "~/lib/comment-tree";
import { invariantResponse, parseId } from "~/lib/http.server";
import { libraryTypeLabels } from "~/lib/library-types";
import { can, canAcceptAnswer, hasRole } from "~/lib/permissions";
import { commentPath, samePageQuery, threadPagePath, threadPath } from "~/lib/thread-links";
import { postKindLabels } from "~/lib/post-kinds";
import { findPrivacyConcerns, privacyHoldReason, type PrivacyConcern } from "~/lib/privacy-check";
import {
  rateLimitBucket,
  refundRateLimit,
  retryAfterSeconds,
  tooManyRequestsMessage,
} from "~/lib/rate-limit.server";
import { randomToken } from "~/lib/secrets.server";
import { originFrom, pageMeta, plainTextFromHtml, privatePageMeta } from "~/lib/seo";
import { commentSchema, formValues, parseForm, type FieldErrors } from "~/lib/validation";
import { setWatching } from "~/models/notifications.server";
import { getVisiblePost, MAX_PINNED_POSTS } from "~/models/posts.server";
import { CONVERSATIONS_PER_PAGE, loadThreadPage } from "~/models/thread-page.server";
import { setAcceptedAnswer, toggleHelpful, type SetAcceptedAnswerResult } from "~/models/reactions.server";
import type { SessionUser } from "~/models/sessions.server";
import {
  moderatePost,
  threadModerationActions,
  type ModeratePostResult,
} from "~/models/thread-moderation.server";
import { createComment, type CreateCommentResult } from "~/models/writing.server";

export function meta({ data, matches }: Parameters<MetaFunction<typeof loader>>[0]) {
  if (!data) return privatePageMeta("Not found");
  const { post } = data;
  return [
    // A held or hidden post is shown only to its author or moderators: not for search engines.
    ...(post.status === "published"
      ? pageMeta({
          title: post.title,
          description: plainTextFromHtml(post.bodyHtml),
          // The current slug, whichever one the visitor came in with; each page of a long thread is its own.
          path: threadPagePath(post, data.pages.number),
          origin: originFrom(matches),
          type: "article",
        })
      : privatePageMeta(post.title)),
    {
      tagName: "link",
      rel: "alternate",
      type: "application/atom+xml",
      title: `Replies to “${data.post.title}”`,
      href: `/posts/${data.post.id}/feed.xml`,
    },
  ];
}

async function loadPost(postIdParameter: string | undefined, viewer: SessionUser | null) {
  const postId = parseId(postIdParameter);
  invariantResponse(postId, "There is no such post.", { status: 404 });
  const post = await getVisiblePost(
    postId,
    viewer ? { id: viewer.id, isModerator: hasRole(viewer, "moderator") } : null,
  );
  invariantResponse(post, "There is no such post. It may have been removed.", { status: 404 });
  return post;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const postId = parseId(params.postId);
  invariantResponse(postId, "There is no such post.", { status: 404 });
  const url = new URL(request.url);
  const replyToId = parseId(url.searchParams.get("replyTo") ?? undefined);
  // A page of the thread in one statement, whatever the number of comments (docs/performance.md).
  // A link to a comment (?at=) or a reply to one (?replyTo=) opens the page that holds it.
  const thread = await loadThreadPage(
    postId,
    user ? { id: user.id, isModerator: hasRole(user, "moderator") } : null,
    {
      page: parseId(url.searchParams.get("page") ?? undefined) ?? 1,
      at: parseId(url.searchParams.get("at") ?? undefined) ?? replyToId ?? null,
    },
  );
  invariantResponse(thread, "There is no such post. It may have been removed.", { status: 404 });
  const { post, booklists } = thread;
  const visible = withoutDeletedLeaves(thread.comments).map((comment) =>
    // A deleted comment shows as a placeholder: nothing of it leaves the server.
    comment.deletedAt
      ? { ...comment, authorId: 0, authorUsername: "", authorDisplayName: "[deleted]", bodyHtml: "" }
      : comment,
  );
  const viewerVotes = {
    post: thread.viewerHelpfulOnPost,
    commentIds: visible.filter((comment) => comment.viewerHelpful).map((comment) => comment.id),
  };
  const watching = thread.watching;
  // Comments on other pages are reached through the page that holds them.
  const onThisPage = new Set(visible.map((comment) => comment.id));
  const commentHref = (commentId: number) =>
    onThisPage.has(commentId) ? `#comment-${commentId}` : commentPath(post, commentId);
  const accepted = thread.acceptedComment;
  const replyTo = visible.find(
    (comment) => comment.id === replyToId && comment.status === "approved" && !comment.deletedAt,
  );
  return {
    post,
    comments: buildCommentTree(visible),
    replyTargets: Object.fromEntries(visible.map((comment) => [comment.id, comment.authorDisplayName])),
    replyTo: replyTo ? { id: replyTo.id, name: replyTo.authorDisplayName } : null,
    viewer: user ? { id: user.id, role: user.role } : null,
    viewerVotes,
    watching,
    acceptedAnswer: accepted ? { ...accepted, href: commentHref(accepted.id) } : null,
    answerSummary: thread.answerSummary && {
      ...thread.answerSummary,
      credits: thread.answerSummary.credits.map((credit) => ({
        ...credit,
        href: commentHref(credit.commentId),
      })),
    },
    pages: { ...thread.page, perPage: CONVERSATIONS_PER_PAGE, threadPath: threadPath(post) },
    booklist: booklists.post,
    // Only the lists of the comments this viewer sees, and none of a deleted one.
    commentBooklists: Object.fromEntries(
      visible.flatMap((comment) => {
        const rows = comment.deletedAt ? undefined : booklists.byComment.get(comment.id);
        return rows ? [[comment.id, rows] as const] : [];
      }),
    ),
    story: thread.story,
    submissionKey: randomToken(),
    flagged: url.searchParams.get("flagged") === "1",
    now: new Date(),
  };
}

type CommentActionData = {
  form: "comment";
  errors: FieldErrors;
  values: Record<string, string>;
  formError: string | null;
  /** What the privacy check found when the author has not yet confirmed. */
  privacyConcerns?: PrivacyConcern[];
};
type ModerateActionData = {
  form: "moderate";
  errors: FieldErrors;
  values: Record<string, string>;
  formError: string | null;
};

const refusals: Record<
  Exclude<CreateCommentResult, { ok: true } | { reason: "rate-limited" }>["reason"],
  { status: number; message: string }
> = {
  "post-unavailable": { status: 404, message: "This thread is no longer available." },
  locked: { status: 403, message: "This thread is locked: it takes no new replies." },
  "parent-elsewhere": { status: 400, message: "The comment you are replying to is not in this thread." },
  "parent-unavailable": {
    status: 400,
    message: "You can't reply to that comment: it was deleted or removed, or it is awaiting moderation.",
  },
};

// The reply form sends no intent; the buttons of the Moderate form each send theirs.
const intentField = z
  .enum(["comment", "helpful", "accept", "unaccept", "watch", "unwatch", ...threadModerationActions])
  .default("comment");

const helpfulSchema = z.object({
  kind: z.enum(["post", "comment"]),
  id: z.coerce.number().int().positive().max(2_147_483_647),
  // The state the button asks for; without it the mark toggles.
  helpful: z.enum(["true", "false"]).optional(),
});
const acceptSchema = z.object({
  commentId: z.coerce.number().int().positive().max(2_147_483_647),
});
const unacceptSchema = z.object({
  commentId: z.coerce.number().int().positive().max(2_147_483_647).optional(),
});

const acceptRefusals: Record<
  Exclude<SetAcceptedAnswerResult, { ok: true }>["reason"],
  { status: number; message: string }
> = {
  "post-not-found": { status: 404, message: "There is no such post. It may have been removed." },
  "not-question": { status: 403, message: "Only a question can have an accepted answer." },
  forbidden: { status: 403, message: "Only the person who asked, or a moderator, may accept an answer." },
  "comment-not-found": {
    status: 404,
    message: "That comment is not in this thread, or it was deleted or removed.",
  },
};

const REASON_MAX = 500;
const moderateSchema = z.object({
  reason: z.string().trim().max(REASON_MAX, `Keep the reason to ${REASON_MAX} characters.`).default(""),
});

const moderationRefusals: Record<Exclude<ModeratePostResult, { ok: true }>["reason"], string> = {
  already: "Someone else already did that.",
  "too-many-pinned": `At most ${MAX_PINNED_POSTS} posts can be pinned at once. Unpin one first.`,
  "not-found": "There is no such post. It may have been removed.",
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  // Add a book and Remove belong to the reply form's booklist.
  if (isBooklistIntent(formData.get("intent"))) return commentAction(user, params.postId, formData);
  const intent = intentField.safeParse(formData.get("intent") ?? undefined);
  invariantResponse(intent.success, "Unknown action.");
  // Actions on the post itself land back on the page of the thread they came from.
  const samePage = samePageQuery(request.url);
  if (intent.data === "comment") return commentAction(user, params.postId, formData);
  if (intent.data === "helpful") return helpfulAction(user, params.postId, formData, samePage);
  if (intent.data === "accept" || intent.data === "unaccept") {
    return acceptAction(user, params.postId, intent.data, formData, samePage);
  }
  if (intent.data === "watch" || intent.data === "unwatch") {
    return watchAction(user, params.postId, intent.data, samePage);
  }

  invariantResponse(hasRole(user, "moderator"), "Only moderators may do that.", { status: 403 });
  const post = await loadPost(params.postId, user);
  const parsed = parseForm(moderateSchema, formData);
  if (!parsed.ok) {
    return data<ModerateActionData>(
      { form: "moderate", errors: parsed.errors, values: parsed.values, formError: null },
      { status: 400 },
    );
  }
  const result = await moderatePost({
    postId: post.id,
    moderatorId: user.id,
    action: intent.data,
    reason: parsed.data.reason,
  });
  if (!result.ok) {
    invariantResponse(result.reason !== "not-found", moderationRefusals["not-found"], { status: 404 });
    return data<ModerateActionData>(
      {
        form: "moderate",
        errors: {},
        values: { reason: parsed.data.reason },
        formError: moderationRefusals[result.reason],
      },
      { status: 409 },
    );
  }
  // A hidden post stays readable by moderators, so every action lands back on the thread.
  return redirect(`${threadPath(post)}${samePage}`);
}

async function helpfulAction(
  user: SessionUser,
  postIdParameter: string | undefined,
  formData: FormData,
  samePage: string,
) {
  const post = await loadPost(postIdParameter, user);
  const parsed = helpfulSchema.safeParse(Object.fromEntries(formData));
  invariantResponse(parsed.success, "Say what to mark as helpful.");
  const { kind, id, helpful } = parsed.data;
  const result = await toggleHelpful({
    userId: user.id,
    target: { kind, id },
    on: helpful === undefined ? undefined : helpful === "true",
    postId: post.id,
  });
  if (!result.ok) {
    invariantResponse(result.reason !== "own", `You can't mark your own ${kind} as helpful.`, {
      status: 403,
    });
    invariantResponse(false, `There is no such ${kind} in this thread. It may have been removed.`, {
      status: 404,
    });
  }
  return redirect(kind === "post" ? `${threadPath(post)}${samePage}#post-title` : commentPath(post, id));
}

async function acceptAction(
  user: SessionUser,
  postIdParameter: string | undefined,
  intent: "accept" | "unaccept",
  formData: FormData,
  samePage: string,
) {
  const post = await loadPost(postIdParameter, user);
  const parsed = (intent === "accept" ? acceptSchema : unacceptSchema).safeParse(
    Object.fromEntries(formData),
  );
  invariantResponse(parsed.success, "Say which comment to accept.");
  const commentId = parsed.data.commentId;
  const result = await setAcceptedAnswer({
    postId: post.id,
    commentId: intent === "accept" ? commentId! : null,
    actor: user,
  });
  if (!result.ok) {
    const refusal = acceptRefusals[result.reason];
    invariantResponse(false, refusal.message, { status: refusal.status });
  }
  return redirect(commentId ? commentPath(post, commentId) : `${threadPath(post)}${samePage}`);
}

async function watchAction(
  user: SessionUser,
  postIdParameter: string | undefined,
  intent: "watch" | "unwatch",
  samePage: string,
) {
  const post = await loadPost(postIdParameter, user);
  const changed = await setWatching(user.id, post.id, intent === "watch");
  invariantResponse(changed, "Only a published thread can be watched.", { status: 404 });
  // Without JavaScript the browser lands back on the control it used.
  return redirect(`${threadPath(post)}${samePage}#watch`);
}

async function commentAction(user: SessionUser, postIdParameter: string | undefined, formData: FormData) {
  // The thread itself is read, and locked, in the comment's transaction
  // (createComment): one that is not there answers 404 with the draft kept.
  const postId = parseId(postIdParameter);
  invariantResponse(postId, "There is no such post.", { status: 404 });
  const submitted = formValues(formData);
  // What the form shows again when it comes back: the draft, its parent and its booklist.
  const draft = {
    body: submitted.body ?? "",
    parentId: submitted.parentId ?? "",
    ...bookFormValues(readBookFormRows(submitted)),
  };
  // Add a book / Remove: the form comes back with a row more or less, nothing saved.
  const booklistChange = applyBooklistIntent(draft, formData.get("intent"));
  if (booklistChange) {
    return data<CommentActionData>({ form: "comment", ...booklistChange, formError: null });
  }
  const parsed = parseForm(commentSchema, formData);
  const booklist = parseBooklist(draft);
  if (!parsed.ok || !booklist.ok) {
    const errors = { ...(parsed.ok ? {} : parsed.errors), ...(booklist.ok ? {} : booklist.errors) };
    return data<CommentActionData>(
      { form: "comment", errors, values: draft, formError: null },
      { status: 400 },
    );
  }
  const values = { ...draft, body: parsed.data.body, parentId: String(parsed.data.parentId ?? "") };

  const exempt = hasRole(user, "moderator");
  // Anything that could identify a child needs the author's second look first (docs/privacy-check.md).
  const privacyConcerns = findPrivacyConcerns(parsed.data.body);
  if (privacyConcerns.length > 0 && formData.get(PRIVACY_CONFIRMATION_FIELD) !== "yes") {
    return data<CommentActionData>(
      { form: "comment", errors: {}, values, formError: PRIVACY_REFUSAL, privacyConcerns },
      { status: 400 },
    );
  }
  const rateSubject = String(user.id);
  const result = await createComment({
    postId,
    authorId: user.id,
    parentId: parsed.data.parentId,
    bodyMd: parsed.data.body,
    submissionKey: parsed.data.submissionKey,
    // Moderators are trusted to have checked; a member's confirmed comment waits for one.
    holdReason: !exempt && privacyConcerns.length > 0 ? privacyHoldReason(privacyConcerns) : undefined,
    booklist: booklist.rows,
    // Moderators are not limited; a member's attempt is counted in the comment's own transaction.
    rateLimit: exempt ? undefined : rateLimitBucket("commentsPerMember", rateSubject),
  });
  if (!result.ok && result.reason === "rate-limited") {
    return data<CommentActionData>(
      {
        form: "comment",
        errors: {},
        values,
        formError: tooManyRequestsMessage(result.bucket, "You are commenting very fast."),
      },
      { status: 429, headers: { "Retry-After": String(retryAfterSeconds(result.bucket)) } },
    );
  }
  if (!exempt && (!result.ok || result.duplicate)) await refundRateLimit("commentsPerMember", rateSubject);
  if (!result.ok) {
    const refusal = refusals[result.reason];
    return data<CommentActionData>(
      { form: "comment", errors: {}, values, formError: refusal.message },
      { status: refusal.status },
    );
  }
  return redirect(commentPath(result.thread, result.comment.id));
}

// Single fetch skips revalidating after a 4xx answer; after a 409 someone else
// moderated the post first, so show the thread as it is now.
export function shouldRevalidate({ actionStatus, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return actionStatus === 409 || defaultShouldRevalidate;
}

export default function Thread() {
  const {
    post,
    comments,
    replyTargets,
    replyTo,
    viewer,
    viewerVotes,
    watching,
    acceptedAnswer,
    answerSummary,
    pages,
    story,
    booklist,
    commentBooklists,
    submissionKey,
    flagged,
    now,
  } = useLoaderData<typeof loader>();
  const votedCommentIds = new Set(viewerVotes.commentIds);
  const isQuestion = post.kind === "question";
  const canAccept = post.status === "published" && canAcceptAnswer(viewer, post);
  const answer = useActionData<typeof action>() as CommentActionData | ModerateActionData | undefined;
  const actionData = answer?.form === "comment" ? answer : undefined;
  const location = useLocation();
  // An inline reply form belongs to the page view it was opened in; any navigation closes it.
  const [inline, setInline] = useState<{ locationKey: string; commentId: number } | null>(null);
  const inlineReplyTo = inline?.locationKey === location.key ? inline.commentId : null;
  const openInline = (commentId: number) => setInline({ locationKey: location.key, commentId });

  // After posting, the page lands on the new comment: move focus there too.
  useEffect(() => {
    if (location.hash.startsWith("#comment-")) document.getElementById(location.hash.slice(1))?.focus();
  }, [location.key, location.hash]);

  const failedParentId = actionData ? Number(actionData.values.parentId) || null : null;
  const canReply = !post.locked && post.status === "published";
  const closeInline = (commentId: number) => {
    setInline(null);
    document.getElementById(`reply-link-${commentId}`)?.focus();
  };
  const formStateFor = (parentId: number | null) =>
    actionData && failedParentId === parentId
      ? {
          defaultBody: actionData.values.body,
          values: actionData.values,
          errors: actionData.errors,
          formError: actionData.formError,
        }
      : {};

  // Without JavaScript (or after a refused inline reply), the form under the thread answers ?replyTo.
  const mainParentId = inlineReplyTo === null && actionData ? failedParentId : (replyTo?.id ?? null);
  const mainParent =
    mainParentId !== null ? { id: mainParentId, name: replyTargets[mainParentId] ?? "a comment" } : null;
  const threadHref = pages.threadPath;

  return (
    <article className="thread" aria-labelledby="post-title">
      <header className="thread__header">
        <p className="thread__kind">
          <span className={`kind-badge kind-badge--${post.kind}`}>{postKindLabels[post.kind]}</span>
          {post.pinned ? (
            <>
              {" "}
              <span className="kind-badge pinned-badge">Pinned</span>
            </>
          ) : null}
        </p>
        <h1 id="post-title">{post.title}</h1>
        {post.locked ? (
          <p className="notice" role="status">
            This thread is locked.
          </p>
        ) : null}
        <p className="byline">
          <Link to={`/u/${post.authorUsername}`}>{post.authorDisplayName}</Link>
          <span className="library-type"> · {libraryTypeLabels[post.authorLibraryType]}</span> ·{" "}
          <RelativeTime date={post.createdAt} now={now} />
          {post.editedAt ? (
            <>
              {" · "}
              {can(viewer, "edit", post) ? (
                <Link to={`/posts/${post.id}/revisions`} className="edited">
                  edited
                </Link>
              ) : (
                <span className="edited">edited</span>
              )}
            </>
          ) : null}
          {can(viewer, "edit", post) ? (
            <>
              {" · "}
              <Link to={`/posts/${post.id}/edit`}>Edit post</Link>
            </>
          ) : null}
          {viewer && viewer.id !== post.authorId && post.status === "published" ? (
            <>
              {" · "}
              <Link to={`/posts/${post.id}/flag`}>Flag</Link>
            </>
          ) : null}
        </p>
        {flagged ? (
          <p className="notice" role="status">
            Thank you: your flag has been sent to the moderators.
          </p>
        ) : null}
        {post.tags.length > 0 ? (
          <ul className="tag-list" aria-label="Tags">
            {post.tags.map((tag) => (
              <li key={tag}>
                <Link to={`/tags/${tag}`} className="tag">
                  {tag}
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
        {viewer && post.status === "published" ? <WatchControl watching={watching} /> : null}
        {hasRole(viewer, "moderator") ? (
          <ModerateForm
            post={post}
            answer={answer?.form === "moderate" ? answer : undefined}
            // A fresh key after every answer from the server: the reason empties once it was used.
            key={submissionKey}
          />
        ) : null}
      </header>
      {post.status === "hidden" ? (
        <p className="notice" role="status">
          This post is hidden: only moderators can see it.
        </p>
      ) : null}
      {post.status === "pending" ? (
        <p className="notice" role="status">
          {viewer?.id === post.authorId
            ? "Your post is awaiting moderation. Only you and the moderators can see it until a moderator approves it."
            : "This post is awaiting moderation."}
        </p>
      ) : null}
      {story ? (
        <StoryCard
          story={story.card}
          thread={{
            postId: post.id,
            wouldChange: story.wouldChange,
            triedFrom: story.triedFrom,
            triedBy: story.triedBy,
            canTry: Boolean(viewer) && post.status === "published",
          }}
        />
      ) : null}
      {/* Stored HTML from renderMarkdown, sanitized when it was saved. */}
      <div className="prose" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
      {booklist.length > 0 ? (
        <BooklistTable
          rows={booklist}
          csvHref={post.status === "published" ? `/posts/${post.id}/booklist.csv` : undefined}
        />
      ) : null}
      <HelpfulControl
        kind="post"
        id={post.id}
        count={post.helpfulCount}
        pressed={viewerVotes.post}
        canMark={Boolean(viewer) && viewer?.id !== post.authorId && post.status === "published"}
      />
      {answerSummary ? (
        <section id="answer-summary" className="accepted-answer" aria-labelledby="answer-summary-heading">
          <h2 id="answer-summary-heading">Summary of answers</h2>
          <p className="comment__meta">
            Summarised by{" "}
            {answerSummary.writer ? (
              <Link to={`/u/${answerSummary.writer.username}`}>{answerSummary.writer.displayName}</Link>
            ) : (
              "a former member"
            )}
            {" · "}
            <RelativeTime date={answerSummary.createdAt} now={now} />
            {answerSummary.editedAt ? " · edited" : null}
          </p>
          {/* Stored HTML from renderMarkdown, sanitized when it was saved. */}
          <div className="prose" dangerouslySetInnerHTML={{ __html: answerSummary.bodyHtml }} />
          {answerSummary.credits.length > 0 ? (
            <p className="comment__meta">
              Credits:{" "}
              {answerSummary.credits.map((credit, index) => (
                <span key={credit.commentId}>
                  {index > 0 ? ", " : null}
                  <a href={credit.href}>Reply by {credit.authorDisplayName}</a>
                </span>
              ))}
            </p>
          ) : null}
          {canAccept ? (
            <p>
              <Link to={`/posts/${post.id}/summary`}>Edit summary</Link>
            </p>
          ) : null}
        </section>
      ) : canAccept ? (
        <p>
          <Link to={`/posts/${post.id}/summary`}>Write a summary of answers</Link>
        </p>
      ) : null}
      {acceptedAnswer ? (
        <section className="accepted-answer" aria-labelledby="accepted-answer-heading">
          <h2 id="accepted-answer-heading">Accepted answer</h2>
          <p className="comment__meta">
            <Link to={`/u/${acceptedAnswer.authorUsername}`}>{acceptedAnswer.authorDisplayName}</Link>
            {" · "}
            <a href={acceptedAnswer.href}>Go to the reply</a>
          </p>
          {/* Stored HTML from renderMarkdown, sanitized when it was saved. */}
          <div className="prose" dangerouslySetInnerHTML={{ __html: acceptedAnswer.bodyHtml }} />
        </section>
      ) : null}

      <section className="replies" aria-labelledby="replies-heading">
        <h2 id="replies-heading">
          {post.commentCount} {post.commentCount === 1 ? "reply" : "replies"}
        </h2>
        {pages.count > 1 ? (
          <p className="comment__meta">
            Page {pages.number} of {pages.count}, {pages.perPage} conversations a page, oldest first.
          </p>
        ) : null}
        {comments.length > 0 ? (
          <CommentTree
            nodes={comments}
            booklists={commentBooklists}
            now={now}
            viewer={viewer}
            canReply={canReply}
            votedCommentIds={votedCommentIds}
            isQuestion={isQuestion}
            canAccept={canAccept}
            acceptedCommentId={acceptedAnswer?.id ?? null}
            onReply={openInline}
            renderReplyForm={(commentId) =>
              viewer && inlineReplyTo === commentId ? (
                <CommentForm
                  key={submissionKey}
                  idPrefix={`reply-${commentId}`}
                  submissionKey={submissionKey}
                  parent={{ id: commentId, name: replyTargets[commentId] ?? "a comment" }}
                  onCancel={() => closeInline(commentId)}
                  focusOnOpen
                  {...formStateFor(commentId)}
                />
              ) : null
            }
          />
        ) : (
          <p className="empty">No replies yet.</p>
        )}
        <ReplyPager {...pages} />
      </section>

      <section id="reply" className="reply-box" aria-labelledby="reply-heading" tabIndex={-1}>
        <h2 id="reply-heading">Leave a reply</h2>
        {post.status === "pending" ? (
          <p>Replies open once a moderator has approved the post.</p>
        ) : post.status === "hidden" ? (
          <p>Replies are closed while the post is hidden.</p>
        ) : !canReply ? (
          <p>This thread is locked: it takes no new replies.</p>
        ) : viewer && inlineReplyTo !== null ? (
          // One reply box at a time: the inline one above is this same form, opened under a comment.
          <p>
            You are replying to {replyTargets[inlineReplyTo] ?? "a comment"} above.{" "}
            <button type="button" className="button--link" onClick={() => closeInline(inlineReplyTo)}>
              Cancel that reply
            </button>
          </p>
        ) : viewer ? (
          <CommentForm
            labelledBy="reply-heading"
            // A fresh key after every answer from the server: the box empties once a comment is posted.
            key={submissionKey}
            idPrefix="reply"
            submissionKey={submissionKey}
            parent={mainParent}
            cancelHref={mainParent ? threadPagePath(threadHref, pages.number) : undefined}
            {...formStateFor(mainParentId)}
          />
        ) : (
          <p>
            <Link
              to={`/login?${new URLSearchParams({ redirectTo: `${location.pathname}${location.search}#reply` })}`}
            >
              Log in
            </Link>{" "}
            or <Link to="/join">join</Link> to reply.
          </p>
        )}
      </section>
    </article>
  );
}

/** Earlier and later pages of a long thread's conversations. */
function ReplyPager({
  number,
  count,
  threadPath: path,
}: {
  number: number;
  count: number;
  threadPath: string;
}) {
  if (count <= 1) return null;
  const pageHref = (page: number) => `${threadPagePath(path, page)}#replies-heading`;
  return (
    <nav aria-label="Reply pages" className="pager">
      {number > 1 ? (
        <AppLink to={pageHref(number - 1)} rel="prev">
          Earlier replies
        </AppLink>
      ) : null}
      {number > 1 && number < count ? " · " : null}
      {number < count ? (
        <AppLink to={pageHref(number + 1)} rel="next">
          Later replies
        </AppLink>
      ) : null}
    </nav>
  );
}

/**
 * Watch or Stop watching the thread. One button whose label follows the state,
 * so focus stays on it after a toggle; the status line says what it means.
 */
function WatchControl({ watching }: { watching: boolean }) {
  return (
    <Form method="post" className="watch" id="watch" preventScrollReset>
      <p id="watch-status" className="watch__status" role="status">
        {watching
          ? "You are watching this thread: you get notified of new replies."
          : "Watch to be notified of new replies."}
      </p>
      <input type="hidden" name="intent" value={watching ? "unwatch" : "watch"} />
      <button type="submit" className="button--secondary" aria-describedby="watch-status">
        {watching ? "Stop watching" : "Watch"}
      </button>
    </Form>
  );
}

/** Hide or restore, lock or unlock, pin or unpin the post, with an optional reason for the log. */
function ModerateForm({
  post,
  answer,
}: {
  post: { status: string; locked: boolean; pinned: boolean };
  answer: ModerateActionData | undefined;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.has("intent") === true;
  return (
    <Form method="post" noValidate className="moderate-form" aria-labelledby="moderate-heading">
      <h2 id="moderate-heading">Moderate</h2>
      <FormError message={answer?.formError} />
      <TextField
        id="moderate-reason"
        label="Reason"
        name="reason"
        hint="Optional. It goes in the moderation log, and to the author when their post is hidden."
        maxLength={REASON_MAX}
        defaultValue={answer?.values.reason}
        errors={answer?.errors.reason}
      />
      <div className="decision-buttons">
        {post.status === "published" ? (
          <button type="submit" name="intent" value="hide" className="button--danger" disabled={busy}>
            Hide
          </button>
        ) : post.status === "hidden" ? (
          <button type="submit" name="intent" value="restore" disabled={busy}>
            Restore
          </button>
        ) : null}
        <button
          type="submit"
          name="intent"
          value={post.locked ? "unlock" : "lock"}
          className="button--secondary"
          disabled={busy}
        >
          {post.locked ? "Unlock" : "Lock"}
        </button>
        <button
          type="submit"
          name="intent"
          value={post.pinned ? "unpin" : "pin"}
          className="button--secondary"
          disabled={busy}
        >
          {post.pinned ? "Unpin" : "Pin"}
        </button>
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
