import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/lib/redirect";

describe("safeRedirect", () => {
  it.each(["/", "/settings", "/posts/12/a-slug?x=1#comment-4", "/u/maria-okafor"])(
    "keeps the site path %j",
    (path) => {
      expect(safeRedirect(path)).toBe(path);
    },
  );

  it.each([
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\tevil",
    "/ok\nLocation: https://evil.example",
    "",
    "settings",
    null,
    undefined,
  ])("refuses %j and goes to the fallback", (target) => {
    expect(safeRedirect(target, "/home")).toBe("/home");
  });
});
