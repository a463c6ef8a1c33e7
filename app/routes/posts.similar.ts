import type { LoaderFunctionArgs } from "@remix-run/node";
import { TITLE_MAX } from "~/lib/limits";
import { findSimilarPosts, type SimilarPost } from "~/models/similar-posts.server";

export type SimilarPostsAnswer = { posts: SimilarPost[] };

// GET /posts/similar?title=…: published posts with titles like the one being
// written, as JSON for the composer (a resource route). Open to visitors: it
// shows only what the public lists show. The static segment ranks above
// posts/:postId, so this path never reaches the thread route.
export async function loader({ request }: LoaderFunctionArgs) {
  // Only as much as a title can hold is looked at; the rest of a longer one is ignored.
  const title = (new URL(request.url).searchParams.get("title") ?? "").slice(0, TITLE_MAX);
  const answer: SimilarPostsAnswer = { posts: await findSimilarPosts(title) };
  // The composer asks again as the title changes; a minute in the browser's
  // cache spares the database when someone types a word and deletes it again.
  return Response.json(answer, { headers: { "Cache-Control": "private, max-age=60" } });
}
