import { Marked, type TokenizerAndRendererExtension } from "marked";
import sanitizeHtml from "sanitize-html";

// Markdown is cooked once, when content is saved; pages serve the stored HTML.
// This allowlist is the security boundary: tests/unit/markdown.test.ts fails if
// it ever admits scripts, styles, frames, event handlers or unsafe schemes.
export const allowedTags = [
  "p",
  "br",
  "strong",
  "em",
  "del",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "blockquote",
  "code",
  "pre",
  "a",
  "img",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "hr",
] as const;

export const allowedAttributes: Record<string, string[]> = {
  a: ["href", "title", "rel"],
  img: ["src", "alt", "title"],
  th: ["align"],
  td: ["align"],
  ol: ["start"],
  pre: ["tabindex"],
};

export const allowedSchemes = ["http", "https", "mailto"] as const;
const linkRel = "nofollow ugc noopener";

// "@username" not preceded by a word character (so e-mail addresses stay as they are).
const MENTION_START = /(?<![\w@./-])@[a-z0-9_-]{3,30}(?![a-z0-9_-])/;
const MENTION = /^@([a-z0-9_-]{3,30})(?![a-z0-9_-])/;

/** `@username` becomes a link to that member's profile. */
const mentionExtension: TokenizerAndRendererExtension = {
  name: "mention",
  level: "inline",
  start(source) {
    const index = source.search(MENTION_START);
    return index === -1 ? undefined : index;
  },
  tokenizer(source) {
    const match = MENTION.exec(source);
    if (!match) return undefined;
    return { type: "mention", raw: match[0], username: match[1] };
  },
  renderer(token) {
    const username = String(token.username);
    return `<a href="/u/${username}">@${username}</a>`;
  },
};

const marked = new Marked({ gfm: true, breaks: false, async: false, extensions: [mentionExtension] });

/** The usernames a body mentions, in order of first appearance (for notifications). */
export function mentionedUsernames(source: string): string[] {
  const names = new Set<string>();
  marked.walkTokens(marked.lexer(source), (token) => {
    if (token.type === "mention") names.add(String((token as { username?: unknown }).username));
  });
  return [...names];
}

const sanitizeOptions: sanitizeHtml.IOptions = {
  allowedTags: [...allowedTags],
  allowedAttributes,
  allowedSchemes: [...allowedSchemes],
  allowedSchemesByTag: { img: ["http", "https"] },
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    // The page owns h1 and h2; a body's headings start at h3.
    h1: "h3",
    h2: "h3",
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: linkRel } }),
    // A code block that scrolls sideways must be reachable by keyboard (WCAG 2.1.1).
    pre: (tagName) => ({ tagName, attribs: { tabindex: "0" } }),
  },
};

/** Markdown source → HTML that is safe to store and serve as is. */
export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return sanitizeHtml(html, sanitizeOptions).trim();
}
