/**
 * Addresses of threads and comments. A long thread is paged by conversation
 * (app/models/thread-page.server.ts), so a link to a comment names it in the
 * query (`?at=`), which opens the page that holds it, as well as in the
 * fragment, which scrolls to it there.
 */

type ThreadRef = { id: number; slug?: string | null };

/** The thread's address; the slug is only for people reading it, and may be left out. */
export const threadPath = (post: ThreadRef) =>
  post.slug ? `/posts/${post.id}/${post.slug}` : `/posts/${post.id}`;

/** Page `page` of a thread's conversations; the first page is the thread's own address. */
export const threadPagePath = (thread: ThreadRef | string, page: number) =>
  `${typeof thread === "string" ? thread : threadPath(thread)}${page > 1 ? `?page=${page}` : ""}`;

/** `thread` is a thread or its path; `extra` adds query parameters, such as a notice to show on arrival. */
export function commentPath(
  thread: ThreadRef | string,
  commentId: number,
  extra: Record<string, string> = {},
) {
  const query = new URLSearchParams({ ...extra, at: String(commentId) });
  return `${typeof thread === "string" ? thread : threadPath(thread)}?${query}#comment-${commentId}`;
}

/**
 * The query that reopens the page of the thread a form was sent from (forms
 * post to the page's own address): `?at=…` or `?page=…`, or nothing for the
 * first page, so an action's redirect does not drop the reader on page 1.
 */
export function samePageQuery(requestUrl: string) {
  const params = new URL(requestUrl).searchParams;
  for (const [name, keptAs] of [
    ["at", "at"],
    ["replyTo", "at"],
    ["page", "page"],
  ] as const) {
    const value = params.get(name);
    if (value && /^[1-9]\d{0,9}$/.test(value)) return `?${keptAs}=${value}`;
  }
  return "";
}
