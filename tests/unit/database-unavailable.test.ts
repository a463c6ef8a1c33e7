import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, plainErrorPage } from "~/lib/database-unavailable";

/** The shape Drizzle throws: its own error, with the driver's error as the cause. */
const wrapped = (cause: object) => Object.assign(new Error("Failed query: select 1"), { cause });

describe("isDatabaseUnavailable", () => {
  it.each([
    [
      "a refused connection",
      Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    ],
    [
      "postgres.js giving up on connecting",
      wrapped({ code: "CONNECT_TIMEOUT", message: "write CONNECT_TIMEOUT" }),
    ],
    [
      "a connection the server ended",
      wrapped({ code: "57P01", message: "terminating connection due to administrator command" }),
    ],
    [
      "a write to a connection the server already closed",
      wrapped(Object.assign(new Error("write EPIPE"), { code: "EPIPE" })),
    ],
    ["a server starting up", wrapped({ code: "57P03", message: "the database system is starting up" })],
    [
      "a database closed to connections",
      wrapped({ code: "55000", message: 'database "forum" is not currently accepting connections' }),
    ],
  ])("recognises %s", (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ["a syntax error", wrapped({ code: "42601", message: "syntax error at or near" })],
    ["a broken constraint", wrapped({ code: "23505", message: "duplicate key value" })],
    ["another object-state error", wrapped({ code: "55000", message: "cannot vacuum now" })],
    ["an ordinary error", new Error("boom")],
    ["nothing", undefined],
    ["a string", "ECONNREFUSED"],
  ])("does not mistake %s for an outage", (_label, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe("plainErrorPage", () => {
  it("is a whole document with the title as heading and a way back", () => {
    const page = plainErrorPage("Crosswalk is busy", "Try again.");
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain("<title>Crosswalk is busy</title>");
    expect(page).toContain("<h1>Crosswalk is busy</h1><p>Try again.</p>");
    expect(page).toContain('<a href="/">Back to the latest discussions</a>');
    expect(page).not.toContain("<script");
  });
});
