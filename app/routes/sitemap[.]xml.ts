import { absoluteUrl } from "~/lib/atom.server";
import { threadPath } from "~/lib/thread-links";
import { listSitemapEntries } from "~/models/sitemap.server";

type SitemapUrl = { path: string; lastModifiedAt?: Date };

const escapeXml = (text: string) =>
  text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

function renderSitemap(urls: SitemapUrl[]): string {
  const entries = urls.map(({ path, lastModifiedAt }) => {
    const lastmod = lastModifiedAt ? `<lastmod>${lastModifiedAt.toISOString()}</lastmod>` : "";
    return `<url><loc>${escapeXml(absoluteUrl(path))}</loc>${lastmod}</url>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ...entries,
    "</urlset>",
    "",
  ].join("\n");
}

// GET /sitemap.xml: every public page worth indexing, with absolute URLs from
// PUBLIC_URL. A resource route (no page); it only reads.
export async function loader() {
  const { tags, posts } = await listSitemapEntries();
  const newest = posts.reduce<Date | undefined>(
    (latest, post) => (!latest || post.lastModifiedAt > latest ? post.lastModifiedAt : latest),
    undefined,
  );
  const urls: SitemapUrl[] = [
    { path: "/", lastModifiedAt: newest },
    { path: "/tags" },
    ...tags.map((tag) => ({ path: `/tags/${tag.name}` })),
    ...posts.map((post) => ({ path: threadPath(post), lastModifiedAt: post.lastModifiedAt })),
  ];
  return new Response(renderSitemap(urls), {
    status: 200,
    // Cached as briefly as the feeds: it holds public content only.
    headers: { "Content-Type": "application/xml; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}
