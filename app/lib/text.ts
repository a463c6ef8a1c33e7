/** A plain-text preview of markdown for lists: markup stripped, cut at a word boundary. */
export function plainExcerpt(markdown: string, maxLength = 200): string {
  const text = markdown
    .replace(/```[\s\S]*?```/g, " ")
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/<[^>]*>/g, " ")
    .replace(/^(?:\s{0,3}(?:>\s*|(?:#{1,6}|[-*+]|\d+\.)\s+))+/gm, "")
    .replace(/[*_`~|]/g, "")
    .replace(/\s+/g, " ")
    .trim();
  if (text.length <= maxLength) return text;
  const cut = text.slice(0, maxLength);
  const lastSpace = cut.lastIndexOf(" ");
  return `${(lastSpace > maxLength * 0.6 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

/** A URL slug from a title: lowercase ASCII words joined by hyphens. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80)
    .replace(/-+$/g, "");
  if (!slug) return "post";
  // /posts/:id/edit, /revisions and /flag are pages of their own: a slug must not be mistaken for them.
  return RESERVED_SLUGS.has(slug) ? `${slug}-post` : slug;
}

const RESERVED_SLUGS = new Set(["edit", "revisions", "flag", "feed", "booklist", "new", "summary"]);
