import type { LoaderFunctionArgs } from "@remix-run/node";
import { atomResponse, postEntry, renderAtom } from "~/lib/atom.server";
import { invariantResponse } from "~/lib/http.server";
import { getTagFeed } from "~/models/feeds.server";

// GET /tags/:tag/feed.xml: a tag's newest published posts as Atom. A resource route.
export async function loader({ params }: LoaderFunctionArgs) {
  const name = params.tag ?? "";
  const feed = /^[a-z0-9-]{2,30}$/.test(name) ? await getTagFeed(name) : undefined;
  invariantResponse(feed, "No such tag.", { status: 404 });
  const path = `/tags/${feed.tag.name}`;
  return atomResponse(
    renderAtom({
      selfPath: `${path}/feed.xml`,
      alternatePath: path,
      title: `Crosswalk: posts tagged ${feed.tag.name}`,
      subtitle: feed.tag.description || undefined,
      fallbackUpdated: feed.tag.createdAt,
      entries: feed.posts.map(postEntry),
    }),
  );
}
