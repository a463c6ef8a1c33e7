import { describe, expect, it } from "vitest";
import {
  allowedAttributes,
  allowedSchemes,
  allowedTags,
  MAX_NESTING,
  renderMarkdown,
} from "~/lib/markdown.server";

const linkRel = 'rel="nofollow ugc noopener"';

/** Patterns that must never appear in rendered output, whatever the source. */
const alwaysForbidden: RegExp[] = [
  /<script/i,
  /<style/i,
  /<iframe/i,
  /<object/i,
  /<embed/i,
  /<svg/i,
  /<math/i,
  /<form/i,
  /<input/i,
  /<base/i,
  /<meta/i,
  /<div/i,
  /\son\w+\s*=/i,
  /javascript:/i,
  /vbscript:/i,
  /data:/i,
  /style\s*=/i,
  /class\s*=/i,
  /srcdoc/i,
  /(href|src)\s*=\s*"\/\//i,
];

const hostileInputs: { name: string; source: string; alsoGone?: RegExp[] }[] = [
  { name: "a script element", source: "<script>alert(1)</script>", alsoGone: [/alert\(1\)/] },
  { name: "a script element inside a paragraph", source: "Hello <script>alert(1)</script> world" },
  {
    name: "an image with an onerror handler",
    source: "<img src=x onerror=alert(1)>",
    alsoGone: [/onerror/i],
  },
  { name: "a markdown link to javascript:", source: "[x](javascript:alert(1))", alsoGone: [/alert/] },
  {
    name: "a markdown link to JAVASCRIPT: in capitals",
    source: "[x](JAVASCRIPT:alert(1))",
    alsoGone: [/alert/],
  },
  { name: "a markdown link to javascript: with a tab inside", source: "[x](java\tscript:alert(1))" },
  { name: "an HTML link to javascript:", source: '<a href="javascript:alert(1)">x</a>' },
  {
    name: "a markdown link to a data: URL",
    source: "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    alsoGone: [/base64/],
  },
  { name: "an iframe", source: '<iframe src="https://evil.example/"></iframe>', alsoGone: [/evil\.example/] },
  { name: "an iframe with srcdoc", source: '<iframe srcdoc="<script>alert(1)</script>"></iframe>' },
  {
    name: "a protocol-relative HTML link",
    source: '<a href="//evil.example/">x</a>',
    alsoGone: [/evil\.example/],
  },
  { name: "a protocol-relative markdown link", source: "[x](//evil.example/)", alsoGone: [/evil\.example/] },
  {
    name: "a protocol-relative markdown image",
    source: "![x](//evil.example/pixel.png)",
    alsoGone: [/evil\.example/],
  },
  {
    name: "a protocol-relative HTML image",
    source: '<img src="//evil.example/pixel.png" alt="x">',
    alsoGone: [/evil\.example/],
  },
  { name: "an svg with onload", source: "<svg onload=alert(1)><circle r=1 /></svg>", alsoGone: [/onload/i] },
  { name: "a div with a style", source: '<div style="position:fixed;top:0">covered</div>' },
  { name: "a paragraph with a class", source: '<p class="x">styled</p>' },
  {
    name: "an object",
    source: '<object data="https://evil.example/x.swf"></object>',
    alsoGone: [/evil\.example/],
  },
  { name: "an embed", source: '<embed src="https://evil.example/x.swf">', alsoGone: [/evil\.example/] },
  {
    name: "a form",
    source: '<form action="https://evil.example/"><input name="password"><button>Go</button></form>',
    alsoGone: [/evil\.example/, /<button/i],
  },
  { name: "a link to vbscript:", source: '<a href="vbscript:msgbox(1)">x</a>', alsoGone: [/msgbox/] },
  {
    name: "an entity-obfuscated javascript: URL in markdown",
    source: "[x](&#106;avascript:alert(1))",
    alsoGone: [/alert/],
  },
  {
    name: "an entity-obfuscated javascript: URL in HTML",
    source: '<a href="&#x6A;&#x61;vascript&#58;alert(1)">x</a>',
    alsoGone: [/alert/],
  },
  {
    name: "an image with a data: URL",
    source: '<img src="data:image/png;base64,iVBORw0KGgo=" alt="x">',
    alsoGone: [/base64/],
  },
  {
    name: "a markdown image with a data: URL",
    source: "![x](data:image/png;base64,iVBORw0KGgo=)",
    alsoGone: [/base64/],
  },
  { name: "a math element", source: '<math><mi xlink:href="javascript:alert(1)">x</mi></math>' },
  { name: "a base element", source: '<base href="https://evil.example/">', alsoGone: [/evil\.example/] },
  {
    name: "a meta refresh",
    source: '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    alsoGone: [/refresh/i, /evil\.example/],
  },
  { name: "a style element", source: "<style>body{display:none}</style>", alsoGone: [/display:none/] },
  {
    name: "a link with an onclick handler",
    source: '<a href="https://ok.example/" onclick="alert(1)">x</a>',
  },
];

describe("renderMarkdown: hostile input", () => {
  it.each(hostileInputs)("removes the dangerous part of $name", ({ source, alsoGone = [] }) => {
    const html = renderMarkdown(source);

    for (const pattern of [...alwaysForbidden, ...alsoGone]) expect(html).not.toMatch(pattern);
  });

  it("keeps the harmless text around removed markup", () => {
    expect(renderMarkdown('<div style="color:red">covered</div>')).toContain("covered");
    expect(renderMarkdown('<p class="x">styled</p>')).toBe("<p>styled</p>");
  });

  it("keeps the text of a link whose URL was refused", () => {
    const html = renderMarkdown("[click me](javascript:alert(1))");

    expect(html).toContain("click me");
    expect(html).not.toMatch(/href=/);
  });
});

describe("renderMarkdown: ordinary markdown", () => {
  it("renders paragraphs", () => {
    expect(renderMarkdown("First.\n\nSecond.")).toBe("<p>First.</p>\n<p>Second.</p>");
  });

  it("renders emphasis, strong and strikethrough", () => {
    expect(renderMarkdown("*soft* **loud** ~~gone~~")).toBe(
      "<p><em>soft</em> <strong>loud</strong> <del>gone</del></p>",
    );
  });

  it("renders bulleted and numbered lists, keeping a numbered list's start", () => {
    expect(renderMarkdown("- one\n- two")).toMatch(/^<ul>\s*<li>one<\/li>\s*<li>two<\/li>\s*<\/ul>$/);
    expect(renderMarkdown("3. three\n4. four")).toMatch(/^<ol start="3">\s*<li>three<\/li>\s*<li>four<\/li>/);
  });

  it("renders block quotes", () => {
    expect(renderMarkdown("> quoted")).toMatch(/^<blockquote>\s*<p>quoted<\/p>\s*<\/blockquote>$/);
  });

  it("renders inline code and code blocks, escaping their contents, with code blocks reachable by keyboard", () => {
    expect(renderMarkdown("Use `a < b` here")).toBe("<p>Use <code>a &lt; b</code> here</p>");
    const block = renderMarkdown("```js\nconst x = '<script>';\n```");
    expect(block).toMatch(/^<pre tabindex="0"><code>/);
    expect(block).toContain("&lt;script&gt;");
    expect(block).not.toContain("<script");
    expect(block).not.toMatch(/class=/);
  });

  it("renders tables with their alignment", () => {
    const html = renderMarkdown("| Book | Copies |\n| :--- | ---: |\n| Dune | 3 |");

    expect(html).toContain("<table>");
    expect(html).toContain("<thead>");
    expect(html).toContain("<tbody>");
    expect(html).toMatch(/<th align="left">Book<\/th>/);
    expect(html).toMatch(/<td align="right">3<\/td>/);
  });

  it("renders horizontal rules", () => {
    expect(renderMarkdown("above\n\n---\n\nbelow")).toMatch(/<hr \/>|<hr>/);
  });

  it("turns level 1 and 2 headings into h3, since the page owns h1 and h2", () => {
    expect(renderMarkdown("# Heading")).toBe("<h3>Heading</h3>");
    expect(renderMarkdown("## Heading")).toBe("<h3>Heading</h3>");
    expect(renderMarkdown("<h1>Raw</h1>")).toBe("<h3>Raw</h3>");
  });

  it("keeps h3 to h6", () => {
    expect(renderMarkdown("### Three")).toBe("<h3>Three</h3>");
    expect(renderMarkdown("#### Four")).toBe("<h4>Four</h4>");
    expect(renderMarkdown("##### Five")).toBe("<h5>Five</h5>");
    expect(renderMarkdown("###### Six")).toBe("<h6>Six</h6>");
  });

  it.each([
    ["http", "http://library.example/events", 'href="http://library.example/events"'],
    ["https", "https://library.example/events", 'href="https://library.example/events"'],
    ["mailto", "mailto:desk@library.example", 'href="mailto:desk@library.example"'],
  ])("keeps %s links and marks them nofollow ugc noopener", (_scheme, url, href) => {
    const html = renderMarkdown(`[link](${url})`);

    expect(html).toContain(href);
    expect(html).toContain(linkRel);
    expect(html).toContain(">link</a>");
  });

  it("keeps a link's title", () => {
    expect(renderMarkdown('[link](https://library.example/ "Our events")')).toContain('title="Our events"');
  });

  it("replaces a rel the author wrote with nofollow ugc noopener", () => {
    const html = renderMarkdown('<a href="https://library.example/" rel="dofollow">link</a>');

    expect(html).toContain(linkRel);
    expect(html).not.toContain("dofollow");
    expect(html.match(/rel=/g)).toHaveLength(1);
  });

  it("adds nofollow ugc noopener to autolinked URLs", () => {
    const html = renderMarkdown("See https://library.example/ for details");

    expect(html).toContain('href="https://library.example/"');
    expect(html).toContain(linkRel);
  });

  it.each([["http://images.example/cover.png"], ["https://images.example/cover.png"]])(
    "keeps images at %s with their alt text",
    (url) => {
      const html = renderMarkdown(`![Book cover](${url})`);

      expect(html).toContain(`src="${url}"`);
      expect(html).toContain('alt="Book cover"');
    },
  );

  it("does not allow mailto: as an image source", () => {
    expect(renderMarkdown("![x](mailto:desk@library.example)")).not.toContain("mailto:");
  });

  it("escapes stray angle brackets and ampersands in text", () => {
    expect(renderMarkdown("1 < 2 & 3 > 2")).toBe("<p>1 &lt; 2 &amp; 3 &gt; 2</p>");
  });
});

describe("markdown allowlist guard", () => {
  const forbiddenTags = [
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "base",
    "meta",
    "link",
    "template",
  ];

  it("admits none of the tags that can run code, load frames or restyle the page", () => {
    const tags: readonly string[] = allowedTags;

    for (const tag of forbiddenTags) expect(tags, `allowedTags includes <${tag}>`).not.toContain(tag);
  });

  it("admits no attributes for tags outside the tag allowlist", () => {
    const tags: readonly string[] = allowedTags;

    for (const tag of Object.keys(allowedAttributes)) expect(tags).toContain(tag);
    expect(Object.keys(allowedAttributes)).not.toContain("*");
  });

  it("admits no event handler, style, srcdoc or class attribute on any tag", () => {
    for (const [tag, attributes] of Object.entries(allowedAttributes)) {
      for (const attribute of attributes) {
        const name = attribute.toLowerCase();
        expect(name.startsWith("on"), `<${tag} ${attribute}> is an event handler`).toBe(false);
        expect(
          ["style", "srcdoc", "class", "srcset", "formaction", "xlink:href"],
          `<${tag} ${attribute}>`,
        ).not.toContain(name);
      }
    }
  });

  it("allows only the http, https and mailto URL schemes", () => {
    expect([...allowedSchemes].sort()).toEqual(["http", "https", "mailto"]);
  });
});

describe("renderMarkdown: nesting", () => {
  const count = (html: string, tag: string) => html.split(`<${tag}>`).length - 1;

  it(`renders quotes and lists nested up to ${MAX_NESTING} levels as written`, () => {
    expect(count(renderMarkdown(`${"> ".repeat(MAX_NESTING)}deep`), "blockquote")).toBe(MAX_NESTING);
    expect(count(renderMarkdown("- a\n  - b\n    - c"), "ul")).toBe(3);
  });

  it("reads markers past the limit as text instead of overflowing the stack", () => {
    const html = renderMarkdown(`${"> ".repeat(5_000)}deep`);
    expect(count(html, "blockquote")).toBe(MAX_NESTING);
    expect(html).toContain("deep");
  });

  it("leaves fenced code alone, however many markers a line has", () => {
    const code = "> ".repeat(100).trim();
    expect(renderMarkdown(`\`\`\`\n${code}\n\`\`\``)).toContain(code.replace(/>/g, "&gt;"));
  });
});

describe("renderMarkdown: mentions", () => {
  it("links @username to the member's profile, but not inside a link or an e-mail address", () => {
    expect(renderMarkdown("Thanks @maria-okafor!")).toBe(
      '<p>Thanks <a href="/u/maria-okafor" rel="nofollow ugc noopener">@maria-okafor</a>!</p>',
    );
    const inLink = renderMarkdown("[@maria-okafor](https://example.org)");
    expect(inLink.match(/<a /g)).toHaveLength(1);
    expect(renderMarkdown("write to maria@example.org")).not.toContain("/u/example");
  });
});
