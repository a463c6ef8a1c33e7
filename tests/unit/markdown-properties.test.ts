import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/lib/markdown.server";
import { outputProblems } from "../fixtures/hostile-markdown";

const numRuns = 300;

/** Pieces of markdown and HTML syntax that attacks are made of, glued in any order. */
const fragments = [
  "<",
  ">",
  "</",
  "/>",
  "[",
  "]",
  "](",
  ")",
  "![",
  "javascript:",
  "JaVaScRiPt:",
  "java\tscript:",
  "data:text/html,",
  "vbscript:",
  "on",
  "onerror",
  "onload",
  "=",
  '"',
  "'",
  "`",
  "```",
  "*",
  "**",
  "_",
  "~~",
  "\n",
  "\n\n",
  "    ",
  "\t",
  "&#",
  "&#x",
  "6A;",
  "106;",
  "&colon;",
  "&quot;",
  "&lt;",
  ";",
  "&",
  "\\",
  "/",
  "//",
  "> ",
  "- ",
  "1. ",
  "#",
  "|",
  "---",
  "@alice",
  "x",
  " ",
  "https://ok.example/",
  "mailto:a@b.example",
  "<img src=x ",
  "<a href=",
  "<svg>",
  "<math>",
  "<mtext>",
  "<mglyph>",
  "<style>",
  "</style>",
  "<script>",
  "</script>",
  "<noscript>",
  "<textarea>",
  "<title>",
  "<template>",
  "<table>",
  "<form>",
  "<div>",
  "</div>",
  "<p>",
  "<pre>",
  "<!--",
  "-->",
  "<![CDATA[",
  "]]>",
  " title=",
  " style=",
  " target=_blank",
  "alert(1)",
];

const hostileMarkup = fc
  .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...fragments) }, fc.string({ maxLength: 3 })), {
    maxLength: 60,
  })
  .map((parts) => parts.join(""));

const arbitraryInputs: [string, fc.Arbitrary<string>][] = [
  ["any code points, lone surrogates included", fc.string({ unit: "binary", maxLength: 400 })],
  ["any graphemes", fc.string({ unit: "grapheme", maxLength: 200 })],
  ["printable ASCII", fc.string({ unit: "grapheme-ascii", maxLength: 400 })],
  ["markdown and HTML fragments", hostileMarkup],
];

describe("renderMarkdown on arbitrary input", () => {
  it.each(arbitraryInputs)("never throws on %s", (_what, input) => {
    fc.assert(
      fc.property(input, (source) => {
        expect(typeof renderMarkdown(source)).toBe("string");
      }),
      { numRuns },
    );
  });

  it.each(arbitraryInputs)("keeps the output of %s to the allowlist", (_what, input) => {
    fc.assert(
      fc.property(input, (source) => {
        const html = renderMarkdown(source);
        expect(outputProblems(html), html).toEqual([]);
      }),
      { numRuns },
    );
  });
});

// renderMarkdown(renderMarkdown(x)) === renderMarkdown(x) does NOT hold, and is
// not expected to: the output is read again as markdown. Output that starts with
// text or an inline tag becomes a paragraph ("<div><" renders "&lt;", which
// renders "<p>&lt;</p>"), and text that the first pass escaped with a backslash
// becomes markup. The properties below are the ones that should hold.

/** Blank lines end a markdown HTML block, so output holding one cannot pass through verbatim. */
const hasBlankLine = (html: string) => /\n[ \t]*\n/.test(html) || html.includes("\r");

/**
 * The module's sanitizer alone, reached through renderMarkdown: a markdown HTML
 * block that starts with <div> and holds no blank line is passed to
 * sanitize-html verbatim; the <div> is discarded and the result trimmed. (A
 * `sanitizeHtmlFragment` export would make this direct.)
 */
const sanitizeAgain = (html: string) => renderMarkdown(`<div>\n${html}\n</div>`);

describe("the sanitizer is a fixed point on its own output", () => {
  it("checks that sanitizeAgain is the sanitizer alone", () => {
    // Markdown syntax stays as it is; disallowed markup goes.
    expect(sanitizeAgain('<p>*not emphasis* <b onclick="x">[x](y)</b></p>')).toBe(
      "<p>*not emphasis* [x](y)</p>",
    );
  });

  it("sanitizing the rendered HTML again changes nothing", () => {
    fc.assert(
      fc.property(hostileMarkup, (source) => {
        const html = renderMarkdown(source);
        fc.pre(!hasBlankLine(html));
        expect(sanitizeAgain(html)).toBe(html);
      }),
      // A block element that the renderer leaves inside <p> is the known failure:
      // a discarded wrapper hid the <p> from htmlparser2's implied end tags.
      { numRuns, examples: [["<math><pre>"], ["<svg><table>"], ["<noscript><h3>"]] },
    );
  });

  it("sanitizing twice reaches a fixed point", () => {
    fc.assert(
      fc.property(hostileMarkup, (source) => {
        const once = sanitizeAgain(renderMarkdown(source));
        fc.pre(!hasBlankLine(once));
        expect(sanitizeAgain(once)).toBe(once);
      }),
      { numRuns, examples: [["<math><pre>"], ["<svg><table>"], ["<noscript><h3>"]] },
    );
  });
});

describe("rendering the output again", () => {
  it("keeps the second rendering to the allowlist and changes nothing on a third", () => {
    fc.assert(
      fc.property(hostileMarkup, (source) => {
        const twice = renderMarkdown(renderMarkdown(source));
        expect(outputProblems(twice), twice).toEqual([]);
        expect(renderMarkdown(twice)).toBe(twice);
      }),
      { numRuns },
    );
  });
});
