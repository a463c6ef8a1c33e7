import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { storyDetails } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { action as editPostAction, loader as editPostLoader } from "~/routes/posts.$postId.edit";
import { loader as homeLoader } from "~/routes/_index";
import { action as newPostAction, loader as newPostLoader } from "~/routes/posts.new";
import { loader as storiesLoader } from "~/routes/stories";
import { joinAs } from "../support/accounts";
import { createMember, createPost } from "../support/factories";
import { joinedAccount, type Account } from "../support/member-actions";
import { callLoader, submitForm, thrownResponse } from "../support/requests";
import { storyFormFields } from "../support/story-form";

// Success stories: the structured part of the Story kind, /stories with its
// facets, and "I tried this" follow-ups. Authors here are moderators unless a
// test needs a member: moderators are neither held nor rate limited.

let keySequence = 0;
const submissionKey = () => `stories-${process.pid}-${++keySequence}-abcdefgh`;

type FormAnswer = { errors: Record<string, string[] | undefined>; values: Record<string, string> };

const storyFields = {
  intent: "publish",
  title: "Library card night at back-to-school",
  ...storyFormFields,
};

async function submitStory(
  author: Account,
  fields: Record<string, string | string[]> = {},
  path = "/posts/new",
) {
  return submitForm<FormAnswer>(
    newPostAction,
    path,
    { ...storyFields, submissionKey: submissionKey(), ...fields },
    { cookie: author.cookie },
  );
}

async function publishStory(author: Account, fields: Record<string, string | string[]> = {}) {
  const answer = await submitStory(author, fields);
  expect(answer.status, JSON.stringify(answer.data)).toBe(302);
  return Number(/^\/posts\/(\d+)\//.exec(answer.location ?? "")?.[1]);
}

const thread = (postId: number, cookie?: string) =>
  callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) }, { cookie });

const stories = (query = "") => callLoader(storiesLoader, `/stories${query}`);

describe("the success story part of the composer", () => {
  it("stores a story's details and shows them as a card on the thread and in lists", async () => {
    const author = await joinedAccount("moderator");
    const postId = await publishStory(author);

    const [row] = await getDb().select().from(storyDetails).where(eq(storyDetails.postId, postId));
    expect(row).toMatchObject({
      programType: "library_card_drive",
      partners: ["school_library", "public_library"],
      gradeBands: ["k_2", "3_5"],
      reach: 310,
      outcomeMeasure: "library cards issued",
      outcomeBefore: 40,
      outcomeAfter: 310,
      staffHours: 14,
      wouldChange: "Bring two card printers.",
      triedFromPostId: null,
    });

    const page = await thread(postId);
    expect(page.story?.card).toMatchObject({ programType: "library_card_drive", outcomeAfter: 310 });
    expect(page.story?.wouldChange).toBe("Bring two card printers.");

    const home = await callLoader(homeLoader, "/?kind=story");
    expect(home.posts.find((post) => post.id === postId)?.story).toMatchObject({
      programType: "library_card_drive",
      outcomeMeasure: "library cards issued",
      outcomeBefore: 40,
      outcomeAfter: 310,
    });
  });

  it("refuses bad details with a message beside each field and keeps everything typed", async () => {
    const author = await joinedAccount("moderator");
    const answer = await submitStory(author, {
      programType: "",
      reach: "about forty",
      outcomeMeasure: "",
      outcomeBefore: "40",
      outcomeAfter: "",
      staffHours: "20000000",
      wouldChange: "x".repeat(2001),
    });
    expect(answer.status).toBe(400);
    expect(answer.data?.errors).toMatchObject({
      programType: ["Choose the kind of program."],
      reach: ["Enter the number of students or families as a whole number, like 120."],
      staffHours: ["Enter the staff hours up to 10,000,000."],
      wouldChange: ["Keep “What I would change” to 2,000 characters."],
    });
    expect(answer.data?.values).toMatchObject({
      title: storyFields.title,
      partners: "school_library,public_library",
      gradeBands: "k_2,3_5",
      reach: "about forty",
      outcomeBefore: "40",
      staffHours: "20000000",
    });

    const outcome = await submitStory(author, { outcomeMeasure: "", outcomeBefore: "40", outcomeAfter: "" });
    expect(outcome.status).toBe(400);
    expect(outcome.data?.errors).toMatchObject({
      outcomeMeasure: ["Say what the numbers measure, such as library cards issued."],
      outcomeAfter: ["Enter the number after."],
    });
    const long = await submitStory(author, { outcomeMeasure: "m".repeat(101) });
    expect(long.data?.errors.outcomeMeasure).toEqual(["Keep the outcome measure to 100 characters."]);
  });

  it("ignores the story part for other kinds, and lets a story go without one", async () => {
    const author = await joinedAccount("moderator");
    const idea = await publishStory(author, { kind: "idea", programType: "", reach: "junk" });
    expect(await getDb().select().from(storyDetails).where(eq(storyDetails.postId, idea))).toEqual([]);

    const blank = await publishStory(author, {
      partners: [],
      gradeBands: [],
      programType: "",
      reach: "",
      outcomeMeasure: "",
      outcomeBefore: "",
      outcomeAfter: "",
      staffHours: "",
      wouldChange: "",
    });
    expect(await getDb().select().from(storyDetails).where(eq(storyDetails.postId, blank))).toEqual([]);
    expect((await thread(blank)).story?.card).toBeNull();
  });

  it("edits the details, and switching the kind away from a story removes them", async () => {
    const author = await joinedAccount("moderator");
    const postId = await publishStory(author);
    const params = { postId: String(postId) };

    const form = await callLoader(editPostLoader, `/posts/${postId}/edit`, params, { cookie: author.cookie });
    expect(form.values).toMatchObject({
      programType: "library_card_drive",
      partners: "school_library,public_library",
    });

    const edit = (fields: Record<string, string | string[]>) =>
      submitForm<FormAnswer>(
        editPostAction,
        `/posts/${postId}/edit`,
        { ...storyFields, ...fields },
        { cookie: author.cookie, params },
      );
    expect((await edit({ partners: ["teachers"], outcomeAfter: "400" })).status).toBe(302);
    const [edited] = await getDb().select().from(storyDetails).where(eq(storyDetails.postId, postId));
    expect(edited).toMatchObject({ partners: ["teachers"], outcomeAfter: 400 });

    const refused = await edit({ staffHours: "-3" });
    expect(refused.status).toBe(400);
    expect(refused.data?.errors.staffHours).toEqual(["Enter the staff hours as a whole number, like 120."]);
    expect(refused.data?.values.staffHours).toBe("-3");

    expect((await edit({ kind: "discussion" })).status).toBe(302);
    expect(await getDb().select().from(storyDetails).where(eq(storyDetails.postId, postId))).toEqual([]);
  });
});

describe("I tried this", () => {
  it("links a follow-up to its story, and the chain reads both ways", async () => {
    const original = await joinedAccount("moderator");
    const follower = await joinedAccount("moderator");
    const storyId = await publishStory(original, { title: "Card table by the front door" });

    const composer = await callLoader(
      newPostLoader,
      `/posts/new?triedFrom=${storyId}`,
      {},
      {
        cookie: follower.cookie,
      },
    );
    expect(composer.followUp).toEqual({
      kind: "story",
      triedFrom: String(storyId),
      triedFromTitle: "Card table by the front door",
    });

    const followUpId = await publishStory(follower, {
      title: "Tried the card table at Lakeside Public Library",
      triedFrom: String(storyId),
    });
    const [row] = await getDb().select().from(storyDetails).where(eq(storyDetails.postId, followUpId));
    expect(row?.triedFromPostId).toBe(storyId);

    const originalPage = await thread(storyId, follower.cookie);
    expect(originalPage.story?.triedBy).toEqual([
      expect.objectContaining({ id: followUpId, title: "Tried the card table at Lakeside Public Library" }),
    ]);
    const followUpPage = await thread(followUpId);
    expect(followUpPage.story?.triedFrom).toMatchObject({
      id: storyId,
      title: "Card table by the front door",
    });

    const listed = await stories();
    expect(listed.stories.find((story) => story.id === storyId)?.triedByCount).toBe(1);
  });

  it("refuses a follow-up to anything but a published story, with a clear message", async () => {
    const author = await joinedAccount("moderator");
    const member = await createMember();
    const question = await createPost(member, { kind: "question", title: "Where do we start?" });
    const held = await createPost(member, { kind: "story", title: "A held story", status: "pending" });

    for (const target of [question.id, held.id, 2_000_000]) {
      const answer = await submitStory(author, { triedFrom: String(target) });
      expect(answer.status).toBe(400);
      expect(answer.data?.errors.triedFrom).toEqual([
        "The story you are following up on is not published, so this can't be linked to it.",
      ]);
      expect(answer.data?.values.triedFrom).toBe(String(target));
    }
    const composer = await callLoader(
      newPostLoader,
      `/posts/new?triedFrom=${question.id}`,
      {},
      {
        cookie: author.cookie,
      },
    );
    expect(composer.followUp).toBeNull();
  });

  it("does not count a follow-up that is awaiting moderation", async () => {
    const author = await joinedAccount("moderator");
    const storyId = await publishStory(author, { title: "A story others will try" });
    // A new member's first post waits for a moderator.
    const newcomer = await joinAs();
    const answer = await submitForm(
      newPostAction,
      "/posts/new",
      {
        ...storyFields,
        title: "Our try, still held",
        triedFrom: String(storyId),
        submissionKey: submissionKey(),
      },
      { cookie: newcomer.cookie },
    );
    expect(answer.status).toBe(302);

    expect((await thread(storyId)).story?.triedBy).toEqual([]);
    expect((await stories()).stories.find((story) => story.id === storyId)?.triedByCount).toBe(0);
  });
});

describe("/stories", () => {
  it("lists published stories with facet counts that follow the other filters", async () => {
    const author = await joinedAccount("moderator");
    await publishStory(author, { partners: ["teachers"], gradeBands: ["6_8"], programType: "class_visit" });
    await publishStory(author, {
      partners: ["teachers", "families"],
      gradeBands: ["k_2"],
      programType: "summer_reading",
    });
    await publishStory(author, {
      partners: ["families"],
      gradeBands: ["k_2"],
      programType: "summer_reading",
    });
    await publishStory(author, { kind: "idea" });

    const all = await stories();
    // The stories of the tests before this one are here too: compare with the whole.
    const total = all.stories.length;
    expect(all.stories.every((story) => story.kind === "story")).toBe(true);

    const teachers = await stories("?partner=teachers");
    expect(teachers.stories).toHaveLength(2);
    expect(teachers.facets.grade).toMatchObject({ "6_8": 1, k_2: 1 });
    expect(teachers.facets.program).toMatchObject({ class_visit: 1, summer_reading: 1 });
    // A facet's own counts ignore its own filter, so every partner one could switch to shows.
    expect(teachers.facets.partner).toEqual(all.facets.partner);

    const both = await stories("?partner=families&program=summer_reading");
    expect(both.stories).toHaveLength(2);
    expect(both.facets.grade).toEqual({ k_2: 2 });
    expect(both.facets.partner).toMatchObject({ families: 2, teachers: 1 });

    expect(all.facets.program.summer_reading).toBe(2);
    expect(total).toBeGreaterThanOrEqual(3);
  });

  it("pages 20 stories at a time, newest first, with no repeats", async () => {
    const member = await createMember();
    const base = Date.parse("2020-01-01T00:00:00Z");
    for (let index = 0; index < 23; index++) {
      const post = await createPost(member, {
        kind: "story",
        title: `Paged story number ${index}`,
        createdAt: new Date(base + index * 60_000),
      });
      await getDb().insert(storyDetails).values({ postId: post.id, programType: "author_visit" });
    }
    const first = await stories("?program=author_visit");
    expect(first.stories).toHaveLength(20);
    expect(first.stories[0]?.title).toBe("Paged story number 22");
    expect(first.nextCursor).not.toBeNull();
    const second = await stories(`?program=author_visit&cursor=${first.nextCursor}`);
    expect(second.stories.map((story) => story.title)).toEqual([
      "Paged story number 2",
      "Paged story number 1",
      "Paged story number 0",
    ]);
    expect(second.nextCursor).toBeNull();
    expect(first.facets.program.author_visit).toBe(23);
  });

  it("answers 400 for a filter or page link it did not make", async () => {
    for (const query of ["?partner=aliens", "?grade=13", "?program=bake_sale", "?cursor=nonsense"]) {
      expect((await thrownResponse(stories(query))).status).toBe(400);
    }
  });

  it("is open to visitors and leaves out held stories", async () => {
    const member = await createMember();
    const held = await createPost(member, { kind: "story", title: "Held back for now", status: "pending" });
    await getDb().insert(storyDetails).values({ postId: held.id, programType: "advocacy" });
    const page = await stories();
    expect(page.stories.some((story) => story.id === held.id)).toBe(false);
    expect(page.facets.program.advocacy).toBeUndefined();
  });
});
