import { describe, expect, it } from "vitest";
import { formatAbsolute, formatRelative } from "~/lib/time";

const now = new Date("2026-11-12T14:05:00.000Z");
const secondsFromNow = (seconds: number) => new Date(now.getTime() + seconds * 1000);
const minute = 60;
const hour = 60 * minute;
const day = 24 * hour;

describe("formatRelative", () => {
  it.each([
    ["the same moment", 0, "just now"],
    ["30 seconds ago", -30, "just now"],
    ["59 seconds ago", -59, "just now"],
    ["a minute ago", -minute, "1 minute ago"],
    ["5 minutes ago", -5 * minute, "5 minutes ago"],
    ["3 hours ago", -3 * hour, "3 hours ago"],
    ["3 hours and 50 minutes ago", -(3 * hour + 50 * minute), "3 hours ago"],
    ["1 day ago", -day, "yesterday"],
    ["2 days ago", -2 * day, "2 days ago"],
    ["2 weeks ago", -14 * day, "2 weeks ago"],
    ["3 months ago", -90 * day, "3 months ago"],
    ["2 years ago", -2 * 365 * day, "2 years ago"],
    ["5 minutes ahead", 5 * minute, "in 5 minutes"],
    ["2 hours ahead", 2 * hour, "in 2 hours"],
    ["30 seconds ahead", 30, "just now"],
  ])("describes %s as %j", (_name, offset, expected) => {
    expect(formatRelative(secondsFromNow(offset), now)).toBe(expected);
  });
});

describe("formatAbsolute", () => {
  it("writes the date and time in UTC and says so", () => {
    const text = formatAbsolute(new Date("2026-11-12T14:05:00.000Z"));

    expect(text).toBe("12 Nov 2026, 14:05 UTC");
  });

  it("uses the UTC day even when it is another day in other time zones", () => {
    const text = formatAbsolute(new Date("2026-11-12T23:30:00.000Z"));

    expect(text).toContain("12 Nov 2026");
    expect(text).toContain("23:30");
    expect(text.endsWith("UTC")).toBe(true);
  });

  it("uses a 24-hour clock", () => {
    expect(formatAbsolute(new Date("2026-01-02T03:04:00.000Z"))).toBe("2 Jan 2026, 03:04 UTC");
  });
});
