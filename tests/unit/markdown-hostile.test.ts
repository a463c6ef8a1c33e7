import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/lib/markdown.server";
import { DEEP_NESTING, SLOW_PARSING, hostileMarkdown, outputProblems } from "../fixtures/hostile-markdown";

// No timed assertion: the deep-nesting inputs are guarded by this per-test
// timeout only, which is generous on purpose so a slow CI machine doesn't flake.
const TIMEOUT_MS = 10_000;

describe("the hostile markdown fixtures", () => {
  it("hold at least 150 inputs with unique names", () => {
    expect(hostileMarkdown.length).toBeGreaterThanOrEqual(150);
    const names = hostileMarkdown.map(({ category, name }) => `${category}: ${name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it("cover every category of attack", () => {
    const categories = new Set(hostileMarkdown.map(({ category }) => category));
    expect([...categories].sort()).toEqual(
      [
        "CSS",
        "DOM clobbering",
        "SVG and MathML",
        "dangerous URL schemes",
        DEEP_NESTING,
        "event-handler attributes",
        "frames, plugins, forms and document-level elements",
        "link-title breakouts",
        "markdown and HTML interplay",
        "namespace-confusion mutation XSS",
        "raw-text breakouts",
        SLOW_PARSING,
        "target=_blank",
        "template",
        "unclosed and malformed tags",
      ].sort(),
    );
  });
});

describe("renderMarkdown on hostile input", () => {
  it.each(hostileMarkdown)(
    "$category: $name",
    ({ source }) => {
      const html = renderMarkdown(source);

      expect(outputProblems(html), `rendered HTML: ${html.slice(0, 2_000)}`).toEqual([]);
      expect(html).not.toMatch(/<script/i);
    },
    TIMEOUT_MS,
  );
});

describe("the output checker", () => {
  // The suite above is only as good as outputProblems: it must notice each kind of leak.
  it.each([
    ["a tag outside the allowlist", "<div>x</div>"],
    ["an event handler", '<img src="https://ok.example/a.png" onerror="alert(1)" />'],
    ["an event handler in capitals", '<p ONCLICK="alert(1)">x</p>'],
    ["a style attribute", '<p style="color:red">x</p>'],
    ["a target", '<a href="https://ok.example/" rel="nofollow ugc noopener" target="_blank">x</a>'],
    ["a javascript: link", '<a href="javascript:alert(1)" rel="nofollow ugc noopener">x</a>'],
    [
      "an entity-encoded javascript: link",
      '<a href="&#106;ava&#x09;script&colon;alert(1)" rel="nofollow ugc noopener">x</a>',
    ],
    [
      "a link with a control character before the scheme",
      '<a href="&#1;javascript:alert(1)" rel="nofollow ugc noopener">x</a>',
    ],
    ["a protocol-relative link", '<a href="//evil.example/" rel="nofollow ugc noopener">x</a>'],
    ["a backslash protocol-relative link", '<a href="/\\evil.example/" rel="nofollow ugc noopener">x</a>'],
    ["a mailto: image", '<img src="mailto:a@b.example" />'],
    ["a data: image", '<img src="data:image/png;base64,AAAA" />'],
    ["a link without rel", '<a href="https://ok.example/">x</a>'],
    ["a link with another rel", '<a href="https://ok.example/" rel="opener">x</a>'],
    ["a script in escaped-looking text", "<p>&lt;b&gt;<script>alert(1)</script></p>"],
    ["a comment", "<p>x</p><!-- hidden -->"],
  ])("notices %s", (_what, html) => {
    expect(outputProblems(html)).not.toEqual([]);
  });

  it("accepts ordinary rendered markdown", () => {
    const html = renderMarkdown(
      '# Title\n\nSome *text* with [a link](https://ok.example/ "t"), @alice, <mailto:a@b.example>,\n' +
        "![a cover](https://ok.example/a.png) and `code`.\n\n| a | b |\n| :- | -: |\n| 1 | 2 |\n\n" +
        "```\ncode\n```\n\n1. one\n2. two\n\n> quote\n\n---",
    );

    expect(outputProblems(html)).toEqual([]);
  });
});
