import { describe, expect, it } from "vitest";
import { withoutDeletedLeaves } from "~/lib/comment-tree";
import { can } from "~/lib/permissions";
import { normaliseTags, postSchema } from "~/lib/validation";

describe("normaliseTags", () => {
  it("lowercases, trims, joins words with hyphens and drops repeats and blanks", () => {
    expect(normaliseTags(" Summer Reading, booklists,,BOOKLISTS ,  class   visits ")).toEqual([
      "summer-reading",
      "booklists",
      "class-visits",
    ]);
    expect(normaliseTags("")).toEqual([]);
  });
});

describe("the post schema's tags", () => {
  const base = { title: "A good enough title", kind: "idea", body: "Body" };

  it("accepts up to 5 well-formed tags", () => {
    const parsed = postSchema.safeParse({ ...base, tags: "a1, b2, c3, d4, e5" });
    expect(parsed.success && parsed.data.tags).toEqual(["a1", "b2", "c3", "d4", "e5"]);
  });

  it("accepts no tags at all", () => {
    const parsed = postSchema.safeParse(base);
    expect(parsed.success && parsed.data.tags).toEqual([]);
  });

  it.each(["x", "a".repeat(31), "under_score", "émoji-🙂"])("refuses the tag %j", (tag) => {
    expect(postSchema.safeParse({ ...base, tags: tag }).success).toBe(false);
  });
});

describe("withoutDeletedLeaves", () => {
  const at = new Date();
  const comment = (id: number, parentId: number | null, deleted = false) => ({
    id,
    parentId,
    deletedAt: deleted ? at : null,
  });

  it("keeps a deleted comment that still holds a visible reply, however deep", () => {
    const kept = withoutDeletedLeaves([comment(1, null, true), comment(2, 1, true), comment(3, 2)]);
    expect(kept.map((row) => row.id)).toEqual([1, 2, 3]);
  });

  it("drops deleted comments whose replies are all deleted too", () => {
    const kept = withoutDeletedLeaves([comment(1, null, true), comment(2, 1, true), comment(3, null)]);
    expect(kept.map((row) => row.id)).toEqual([3]);
  });
});

describe("can", () => {
  const content = { authorId: 7 };

  it("lets authors edit and delete their own posts and comments", () => {
    expect(can({ id: 7, role: "member" }, "edit", content)).toBe(true);
    expect(can({ id: 7, role: "member" }, "delete", content)).toBe(true);
  });

  it("refuses other members and visitors", () => {
    expect(can({ id: 8, role: "member" }, "edit", content)).toBe(false);
    expect(can(null, "edit", content)).toBe(false);
  });

  it("lets moderators and admins edit anyone's", () => {
    expect(can({ id: 8, role: "moderator" }, "edit", content)).toBe(true);
    expect(can({ id: 9, role: "admin" }, "delete", content)).toBe(true);
  });
});
