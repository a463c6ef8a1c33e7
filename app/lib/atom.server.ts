import { Feed } from "feed";
import { readEnvironment } from "~/lib/env.server";
import { SITE_NAME } from "~/lib/seo";
import { plainExcerpt } from "~/lib/text";
import type { FeedComment, FeedPost } from "~/models/feeds.server";
import { commentPath, threadPath } from "~/lib/thread-links";

// Atom documents are built by the `feed` library (jpmonette/feed); this module
// only decides what goes in them. Links are absolute and made from PUBLIC_URL,
// never from the request's Host header (which a client chooses).

export const ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8";

export type AtomEntry = {
  /** A permanent id: the entry's URL without its slug, which a retitled post changes. */
  id: string;
  /** Plain text. */
  title: string;
  /** Absolute URL of the entry's page. */
  link: string;
  authorName: string;
  published: Date;
  updated: Date;
  /** Plain text. */
  summary: string;
  /** HTML, sanitized when it was written. */
  contentHtml: string;
};

export type AtomFeed = {
  /** Site paths (starting with "/"), made absolute with PUBLIC_URL. */
  selfPath: string;
  alternatePath: string;
  /** Plain text. */
  title: string;
  subtitle?: string;
  /** When nothing in the feed is newer than this (an empty feed), it is the feed's `updated`. */
  fallbackUpdated?: Date;
  entries: AtomEntry[];
};

/** The absolute URL of a path on the forum. */
export function absoluteUrl(path: string): string {
  return `${readEnvironment().publicUrl}${path}`;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// The library writes element text after turning "&amp;" back into "&", so a
// literal "&amp;" in a name would lose its escaping: escaping "&" first keeps it.
const xmlText = (text: string) => text.replace(/&/g, "&amp;");

// The library closes a CDATA section's first "]]>" only; sanitized HTML never
// has a raw ">" in text, but an escaped one reads the same in any HTML reader.
const cdataSafe = (html: string) => html.replace(/]]>/g, "]]&gt;");

/** An Atom 1.0 document. */
export function renderAtom(feed: AtomFeed): string {
  const newest = feed.entries.reduce<Date | undefined>(
    (latest, entry) => (!latest || entry.updated > latest ? entry.updated : latest),
    undefined,
  );
  const selfUrl = absoluteUrl(feed.selfPath);
  const atom = new Feed({
    id: selfUrl,
    title: xmlText(feed.title),
    description: feed.subtitle === undefined ? undefined : xmlText(feed.subtitle),
    link: absoluteUrl(feed.alternatePath),
    feedLinks: { atom: selfUrl },
    updated: newest ?? feed.fallbackUpdated ?? new Date(),
    generator: SITE_NAME,
    author: { name: SITE_NAME },
  });
  for (const entry of feed.entries) {
    atom.addItem({
      id: entry.id,
      // Atom entry titles, summaries and contents are written as type="html".
      title: escapeHtml(entry.title),
      link: entry.link,
      date: entry.updated,
      published: entry.published,
      author: [{ name: xmlText(entry.authorName) }],
      description: escapeHtml(entry.summary),
      content: cdataSafe(entry.contentHtml),
    });
  }
  return atom.atom1();
}

/** The response for a feed: cached briefly by browsers and proxies (public content only). */
export function atomResponse(xml: string): Response {
  return new Response(xml, {
    status: 200,
    headers: { "Content-Type": ATOM_CONTENT_TYPE, "Cache-Control": "public, max-age=300" },
  });
}

/** A post as a feed entry. */
export function postEntry(post: FeedPost): AtomEntry {
  return {
    id: absoluteUrl(`/posts/${post.id}`),
    title: post.title,
    link: absoluteUrl(threadPath(post)),
    authorName: post.authorDisplayName,
    published: post.createdAt,
    updated: post.editedAt ?? post.createdAt,
    summary: plainExcerpt(post.bodyStart),
    contentHtml: post.bodyHtml,
  };
}

/** A comment on `post` as a feed entry. */
export function commentEntry(post: FeedPost, comment: FeedComment): AtomEntry {
  return {
    id: absoluteUrl(`/posts/${post.id}#comment-${comment.id}`),
    title: `${comment.authorDisplayName} replied to “${post.title}”`,
    link: absoluteUrl(commentPath(post, comment.id)),
    authorName: comment.authorDisplayName,
    published: comment.createdAt,
    updated: comment.editedAt ?? comment.createdAt,
    summary: plainExcerpt(comment.bodyStart),
    contentHtml: comment.bodyHtml,
  };
}
