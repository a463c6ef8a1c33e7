import { atomResponse, postEntry, renderAtom } from "~/lib/atom.server";
import { listFeedPosts } from "~/models/feeds.server";

// GET /feed.xml: the newest published posts as Atom. A resource route (no page).
export async function loader() {
  const posts = await listFeedPosts();
  return atomResponse(
    renderAtom({
      selfPath: "/feed.xml",
      alternatePath: "/",
      title: "Crosswalk: latest posts",
      subtitle: "New questions, ideas and stories from school and public librarians working together.",
      entries: posts.map(postEntry),
    }),
  );
}
