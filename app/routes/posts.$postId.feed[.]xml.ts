import type { LoaderFunctionArgs } from "@remix-run/node";
import { atomResponse, commentEntry, postEntry, renderAtom } from "~/lib/atom.server";
import { threadPath } from "~/lib/thread-links";
import { invariantResponse, parseId } from "~/lib/http.server";
import { getThreadFeed } from "~/models/feeds.server";

// GET /posts/:postId/feed.xml: a published post and its newest approved
// comments as Atom. A resource route; the static "feed.xml" segment ranks
// above the thread page's optional :slug, so this route answers it.
export async function loader({ params }: LoaderFunctionArgs) {
  const postId = parseId(params.postId);
  const feed = postId === null ? undefined : await getThreadFeed(postId);
  invariantResponse(feed, "No such post.", { status: 404 });
  const { post, comments } = feed;
  return atomResponse(
    renderAtom({
      selfPath: `/posts/${post.id}/feed.xml`,
      alternatePath: threadPath(post),
      title: `Crosswalk: ${post.title}`,
      subtitle: `The post by ${post.authorDisplayName} and its replies.`,
      entries: [...comments.map((comment) => commentEntry(post, comment)), postEntry(post)],
    }),
  );
}
