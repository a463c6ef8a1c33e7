import { describe, expect, it } from "vitest";
import { decodeListCursor, encodeCursor, encodeListCursor, isHelpfulCursor } from "~/lib/cursor";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

describe("encodeListCursor / decodeListCursor", () => {
  it.each([
    { helpful: 0, id: 1 },
    { helpful: 17, id: 42 },
    { helpful: 2_147_483_647, id: 2_147_483_647 },
  ])("gets back the helpful-count cursor it encoded ($helpful, $id)", (cursor) => {
    const encoded = encodeListCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeListCursor(encoded)).toEqual(cursor);
  });

  it("reads timestamp cursors in the first format unchanged, and writes them the same way", () => {
    const cursor = { at: "2026-11-12T14:05:09.123456Z", id: 9 };
    expect(encodeListCursor(cursor)).toBe(encodeCursor(cursor));
    expect(decodeListCursor(encodeCursor(cursor))).toEqual(cursor);
    expect(isHelpfulCursor(cursor)).toBe(false);
    expect(isHelpfulCursor({ helpful: 1, id: 9 })).toBe(true);
  });

  it.each([
    ["junk", "junk"],
    ["an empty string", ""],
    ["a negative count", b64("h|-1|5")],
    ["a fractional count", b64("h|1.5|5")],
    ["id 0", b64("h|3|0")],
    ["a count past int4", b64("h|2147483648|5")],
    ["a missing id", b64("h|3|")],
    ["another prefix", b64("x|3|5")],
    ["an extra part", b64("h|3|5|7")],
    ["padding", `${b64("h|3|5")}==`],
  ])("returns null for %s", (_name, value) => {
    expect(decodeListCursor(value)).toBeNull();
  });
});
