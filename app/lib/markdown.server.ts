import { Marked, type TokenizerAndRendererExtension } from "marked";
import sanitizeHtml from "sanitize-html";
import { noteMarkdownWork } from "./request-work.server";

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
    // Inside a link's text a mention stays text: a link may not hold another link.
    if (this.lexer.state.inLink) return undefined;
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

/**
 * How often this module has rendered and sanitized, so tests can prove a page
 * serves stored HTML and cooks nothing per request.
 */
export const markdownWork = { renders: 0, sanitizes: 0 };

/**
 * Cleans an HTML fragment with the allowlist. One pass can leave markup that a
 * second pass rearranges (a discarded <math> or <svg> around a <pre> hides an
 * open <p>), so it runs until the output stops changing: what is stored is a
 * fixed point, and cleaning it again changes nothing.
 */
export function sanitizeHtmlFragment(html: string): string {
  markdownWork.sanitizes++;
  noteMarkdownWork();
  let current = sanitizeHtml(html, sanitizeOptions);
  for (let pass = 0; pass < 3; pass++) {
    const next = sanitizeHtml(current, sanitizeOptions);
    if (next === current) break;
    current = next;
  }
  return current;
}

// marked's block parser recurses once per level of nesting and overflows the
// stack near 2,000 levels ("> > > …", "- - - …" on one line). No real post
// nests that deep, so markers past this depth on a line are escaped and read
// as text.
export const MAX_NESTING = 32;
const CONTAINER_MARKER = /[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))/y;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

function limitNesting(source: string): string {
  let fence: string | null = null;
  return source
    .split("\n")
    .map((line) => {
      const fenceMatch = FENCE.exec(line);
      if (fenceMatch) {
        const marker = fenceMatch[1]!;
        if (fence === null) fence = marker[0]!;
        else if (marker[0] === fence) fence = null;
        return line;
      }
      if (fence !== null) return line;
      CONTAINER_MARKER.lastIndex = 0;
      let depth = 0;
      while (CONTAINER_MARKER.exec(line)) {
        depth++;
        if (depth > MAX_NESTING) {
          const markerEnd = CONTAINER_MARKER.lastIndex;
          // Escape the marker's last character: ">" , "-", or the "." of "1.".
          return `${line.slice(0, markerEnd - 1)}\\${line.slice(markerEnd - 1)}`;
        }
      }
      return line;
    })
    .join("\n");
}

function escapeText(text: string) {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Markdown source → HTML that is safe to store and serve as is. */
export function renderMarkdown(source: string): string {
  markdownWork.renders++;
  noteMarkdownWork();
  let html: string;
  try {
    html = marked.parse(limitNesting(source)) as string;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // A shape of input the nesting guard did not foresee: keep the words, drop the formatting.
    html = source
      .split(/\n{2,}/)
      .map((paragraph) => `<p>${escapeText(paragraph)}</p>`)
      .join("\n");
  }
  return sanitizeHtmlFragment(html).trim();
}
