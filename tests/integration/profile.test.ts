import { describe, expect, it } from "vitest";
import { loader } from "~/routes/u.$username";
import { createComment, createMember, createPost } from "../support/factories";
import { callLoader, thrownResponse } from "../support/requests";

const openProfile = (username: string) => callLoader(loader, `/u/${username}`, { username });

describe("the profile page", () => {
  it("shows name, library type, community, bio, and public posts and replies, never the e-mail address", async () => {
    const member = await createMember({
      displayName: "Priya Nair",
      libraryType: "school",
      community: "Eastfield K-8",
      bio: "First-year librarian.",
      email: "priya.secret@example.org",
    });
    const post = await createPost(member, { title: "Booklists for the weather unit" });
    const other = await createPost(await createMember());
    const comment = await createComment(other, member, { body: "We did this too." });

    const profile = await openProfile(member.username);
    expect(profile.profile).toMatchObject({
      displayName: "Priya Nair",
      libraryType: "school",
      community: "Eastfield K-8",
      bio: "First-year librarian.",
    });
    expect(profile.posts.map((row) => row.id)).toEqual([post.id]);
    expect(profile.comments.map((row) => row.id)).toEqual([comment.id]);
    expect(JSON.stringify(profile)).not.toContain("priya.secret");
  });

  it("leaves out held posts, held replies and replies on posts that are not published", async () => {
    const member = await createMember();
    await createPost(member, { status: "pending" });
    const hiddenPost = await createPost(await createMember(), { status: "hidden" });
    await createComment(hiddenPost, member);
    const published = await createPost(await createMember());
    await createComment(published, member, { status: "pending" });

    const profile = await openProfile(member.username);
    expect(profile.posts).toEqual([]);
    expect(profile.comments).toEqual([]);
  });

  it.each(["nobody-here", "x", "Not_Valid!", "a".repeat(31)])("answers 404 for %j", async (username) => {
    const response = await thrownResponse(openProfile(username));
    expect(response.status).toBe(404);
  });
});
