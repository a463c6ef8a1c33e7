import { describe, expect, it } from "vitest";
import {
  countLinks,
  defaultModerationPolicy,
  findBlockedWord,
  holdReason,
  readModerationPolicy,
  type Author,
} from "~/lib/moderation-policy";

const member = (approvedCount: number): Author => ({ role: "member", approvedCount });
const text = (body: string) => ({ kind: "comment" as const, text: body });
const policy = { ...defaultModerationPolicy, blockedWords: ["casino", "free money"] };

describe("holdReason: the moderation policy", () => {
  it.each([
    ["a new member", member(0), "Hello from Lakeside", "new-member"],
    ["a member with one approved contribution", member(1), "Hello", "new-member"],
    ["a trusted member", member(2), "Hello", null],
    [
      "a trusted member with 3 links",
      member(5),
      "https://a.example https://b.example www.c.example",
      "links",
    ],
    ["a trusted member with 2 links", member(5), "https://a.example and mailto:x@example.org", null],
    ["a trusted member with a blocked word", member(5), "Win at the CASINO tonight", "blocked-word"],
    ["a trusted member with a blocked phrase", member(5), "Get free   money now", "blocked-word"],
  ] as const)("%s → %s", (_who, author, body, expected) => {
    expect(holdReason(author, text(body), policy)).toBe(expected);
  });

  it("never holds moderators and admins, whatever they write", () => {
    const links = "https://a.example https://b.example https://c.example casino";
    expect(
      holdReason({ role: "moderator", approvedCount: 0 }, text(links), { ...policy, holdEverything: true }),
    ).toBeNull();
    expect(holdReason({ role: "admin", approvedCount: 0 }, text(links), policy)).toBeNull();
  });

  it("holds everything from members when the switch is on", () => {
    expect(holdReason(member(100), text("Hello"), { ...policy, holdEverything: true })).toBe(
      "hold-everything",
    );
  });
});

describe("findBlockedWord", () => {
  it("matches whole words only, in any case", () => {
    expect(findBlockedWord("The casino opened", ["casino"])).toBe("casino");
    expect(findBlockedWord("Casinos and casinoland", ["casino"])).toBeNull();
  });

  it("sees through Unicode tricks: fullwidth letters, zero-width characters, soft hyphens", () => {
    expect(findBlockedWord("ｃａｓｉｎｏ night", ["casino"])).toBe("casino");
    expect(findBlockedWord("cas\u200bino night", ["casino"])).toBe("casino");
    expect(findBlockedWord("cas\u00adino night", ["casino"])).toBe("casino");
  });

  it("treats a word's punctuation literally", () => {
    expect(findBlockedWord("Visit b.e.t today", ["b.e.t"])).toBe("b.e.t");
    expect(findBlockedWord("Visit bxext today", ["b.e.t"])).toBeNull();
  });
});

describe("countLinks", () => {
  it("counts web addresses, www. addresses and mailto: links in markdown", () => {
    expect(
      countLinks("[a](https://a.example) and <http://b.example> and www.c.example and mailto:d@e.org"),
    ).toBe(4);
    expect(countLinks("No links, just an e-mail like maria@example.org")).toBe(0);
  });
});

describe("readModerationPolicy", () => {
  it("fills what a stored policy lacks with the defaults, and ignores a broken one", () => {
    expect(readModerationPolicy({ linkLimit: 5 })).toEqual({ ...defaultModerationPolicy, linkLimit: 5 });
    expect(readModerationPolicy({ linkLimit: "many" })).toEqual(defaultModerationPolicy);
    expect(readModerationPolicy(null)).toEqual(defaultModerationPolicy);
  });
});
