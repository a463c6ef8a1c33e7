import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, type Cursor } from "~/lib/cursor";

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

describe("encodeCursor / decodeCursor", () => {
  it.each<Cursor>([
    { at: "2026-11-12T14:05:09.123456Z", id: 1 },
    { at: "2024-02-29T23:59:59.999999Z", id: 42 },
    { at: "1999-12-31T00:00:00.000000Z", id: 2_147_483_647 },
  ])("gets back the same cursor it encoded ($at, $id)", (cursor) => {
    const encoded = encodeCursor(cursor);

    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it("keeps microseconds exactly", () => {
    const cursor = { at: "2026-01-01T00:00:00.000001Z", id: 7 };

    expect(decodeCursor(encodeCursor(cursor))?.at).toBe("2026-01-01T00:00:00.000001Z");
  });

  it("makes a value that survives a query string unchanged", () => {
    const encoded = encodeCursor({ at: "2026-11-12T14:05:09.123456Z", id: 99 });
    const parameters = new URLSearchParams({ cursor: encoded });

    expect(parameters.toString()).toBe(`cursor=${encoded}`);
    expect(decodeCursor(new URLSearchParams(parameters.toString()).get("cursor")!)).toEqual({
      at: "2026-11-12T14:05:09.123456Z",
      id: 99,
    });
  });
});

describe("decodeCursor rejects values we did not make", () => {
  const valid = "2026-11-12T14:05:09.123456Z";

  it.each([
    ["an empty string", ""],
    ["a random word", "hello"],
    ["random letters", "Zm9vYmFyYmF6cXV4"],
    ["base64 of garbage bytes", Buffer.from([0xff, 0xfe, 0x00, 0x13, 0x37, 0x80]).toString("base64url")],
    ["base64 of text without a separator", b64("just some text")],
    ["base64 of a separator only", b64("|")],
    ["id 0", b64(`${valid}|0`)],
    ["a negative id", b64(`${valid}|-5`)],
    ["a fractional id", b64(`${valid}|1.5`)],
    ["an id past the int4 range", b64(`${valid}|2147483648`)],
    ["a huge id", b64(`${valid}|99999999999999999999`)],
    ["a missing id", b64(`${valid}|`)],
    ["a non-numeric id", b64(`${valid}|abc`)],
    ["a timestamp without microseconds", b64("2026-11-12T14:05:09Z|1")],
    ["a timestamp with milliseconds only", b64("2026-11-12T14:05:09.123Z|1")],
    ["a timestamp with an offset instead of Z", b64("2026-11-12T14:05:09.123456+01:00|1")],
    ["a date only", b64("2026-11-12|1")],
    ["SQL in the timestamp", b64("2026-11-12T14:05:09.123456Z' or 1=1 --|1")],
    ["a very long string", "A".repeat(10_000)],
    ["a long valid-looking value", b64(`${valid}|1`).repeat(3)],
    ["standard base64 with + and /", "ab+cd/ef"],
    ["padding characters", `${b64(`${valid}|1`)}==`],
    ["spaces", "abc def"],
    ["a percent-encoded value", "abc%3D"],
    ["non-ASCII characters", "ñandú"],
  ])("returns null for %s", (_name, value) => {
    expect(decodeCursor(value)).toBeNull();
  });

  // Postgres rejects these with "date/time field value out of range", so a hand-edited link
  // that passes here turns into a server error instead of the "page link is not valid" message.
  it("returns null for a timestamp that is not a real moment (month 13, 30 February, hour 25, year 0)", () => {
    for (const at of [
      "2026-13-01T00:00:00.000000Z",
      "2026-02-30T00:00:00.000000Z",
      "2026-11-12T25:00:00.000000Z",
      "0000-01-01T00:00:00.000000Z",
    ]) {
      expect(decodeCursor(b64(`${at}|1`)), at).toBeNull();
    }
  });
});
