import type { MetaDescriptor } from "@remix-run/react";

// What a page tells search engines and link previews. Remix replaces the
// parent's meta with a child's, so every page builds its whole set here.

export const SITE_NAME = "Crosswalk";
export const SITE_DESCRIPTION =
  "Where school and public librarians find each other, ask questions and share what worked.";

/** Search engines show about this many characters of a description. */
export const DESCRIPTION_MAX = 160;

const NOINDEX: MetaDescriptor = { name: "robots", content: "noindex" };

/**
 * The forum's public origin as the root loader read it from PUBLIC_URL, never
 * from the request's Host (which a client chooses). Undefined on an error page
 * the root loader did not answer for.
 */
export function originFrom(matches: ReadonlyArray<{ id: string; data: unknown }>): string | undefined {
  const root = matches.find((match) => match.id === "root")?.data;
  return typeof root === "object" && root !== null && "origin" in root && typeof root.origin === "string"
    ? root.origin
    : undefined;
}

/** Text cut to `maxLength` characters at a word boundary, with an ellipsis when cut. */
export function truncateText(text: string, maxLength = DESCRIPTION_MAX): string {
  const plain = text.replace(/\s+/g, " ").trim();
  if (plain.length <= maxLength) return plain;
  // Leave room for the ellipsis so the result stays within maxLength.
  const cut = plain.slice(0, maxLength - 1);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > maxLength * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

const BLOCK_TAG = /<\/?(?:p|br|hr|h[1-6]|ul|ol|li|blockquote|pre|table|thead|tbody|tr|th|td)\b[^>]*>/gi;

// Stored HTML comes from sanitize-html, which writes only these entities and numeric ones.
const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

function decodeEntity(entity: string, body: string): string {
  if (body.startsWith("#")) {
    const code =
      body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
  }
  return NAMED_ENTITIES[body] ?? entity;
}

/** The text of stored, sanitized HTML: tags dropped (blocks become spaces), entities decoded. */
export function plainTextFromHtml(html: string): string {
  return html
    .replace(BLOCK_TAG, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);/g, decodeEntity)
    .replace(/\s+/g, " ")
    .trim();
}

export type PageMeta = {
  /** The page's own title, without the site's name. */
  title: string;
  /** Plain text; cut to DESCRIPTION_MAX characters. */
  description: string;
  /** The canonical path, starting with "/": no cursors, no default filters. */
  path: string;
  /** From originFrom(matches); without it the page gets no canonical URL rather than a wrong one. */
  origin: string | undefined;
  type?: "website" | "article" | "profile";
};

/** A public page's title, description, OpenGraph tags and canonical link. */
export function pageMeta({ title, description, path, origin, type = "website" }: PageMeta): MetaDescriptor[] {
  const summary = truncateText(description);
  const url = origin === undefined ? undefined : `${origin}${path}`;
  return [
    { title: `${title} · ${SITE_NAME}` },
    { name: "description", content: summary },
    { property: "og:title", content: title },
    { property: "og:description", content: summary },
    { property: "og:type", content: type },
    { property: "og:site_name", content: SITE_NAME },
    { name: "twitter:card", content: "summary" },
    ...(url
      ? [
          { property: "og:url", content: url },
          { tagName: "link", rel: "canonical", href: url },
        ]
      : []),
  ];
}

/** A page search engines should leave out of their results: its title and `noindex`. */
export function privatePageMeta(title: string): MetaDescriptor[] {
  return [{ title: `${title} · ${SITE_NAME}` }, NOINDEX];
}
