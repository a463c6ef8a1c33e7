import { describe, expect, it } from "vitest";
import { hasRole } from "~/lib/permissions";

describe("hasRole", () => {
  it("ranks admin above moderator above member", () => {
    expect(hasRole({ role: "admin" }, "moderator")).toBe(true);
    expect(hasRole({ role: "admin" }, "admin")).toBe(true);
    expect(hasRole({ role: "moderator" }, "moderator")).toBe(true);
    expect(hasRole({ role: "moderator" }, "admin")).toBe(false);
    expect(hasRole({ role: "member" }, "moderator")).toBe(false);
    expect(hasRole({ role: "member" }, "member")).toBe(true);
  });

  it("gives a visitor no role at all", () => {
    expect(hasRole(null, "member")).toBe(false);
    expect(hasRole(undefined, "member")).toBe(false);
  });
});
