import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { introductions, notifications, outbox, users, type LibraryType, type User } from "~/db/schema";
import { countQueries, getDb } from "~/lib/db.server";
import { startSession } from "~/lib/session.server";
import { queueNotificationEmails } from "~/models/notification-mail.server";
import { findPartners, getPartnerProfile } from "~/models/partners.server";
import { loader as notificationsLoader } from "~/routes/notifications";
import { action as introductionAction, loader as introductionLoader } from "~/routes/introductions.$id";
import { loader as partnersLoader } from "~/routes/partners";
import { action as introduceAction, loader as introduceLoader } from "~/routes/partners_.$username.introduce";
import { action as settingsAction, loader as settingsLoader } from "~/routes/settings";
import { createMember, createPost } from "../support/factories";
import { callLoader, submitForm, thrownResponse } from "../support/requests";

type Librarian = { user: User; cookie: string };

/** A member with the partner-finder fields set, signed in. */
async function librarian(
  fields: {
    libraryType: LibraryType;
    community?: string | null;
    region?: string | null;
    openToPartnering?: boolean;
    acceptsIntroductions?: boolean;
    status?: User["status"];
    activeHoursAgo?: number;
  } = { libraryType: "public" },
): Promise<Librarian> {
  const created = await createMember({
    libraryType: fields.libraryType,
    community: fields.community ?? null,
  });
  const setCookie = await startSession(new Request("http://localhost/"), created.id, null);
  const [user] = await getDb()
    .update(users)
    .set({
      region: fields.region ?? null,
      openToPartnering: fields.openToPartnering ?? true,
      acceptsIntroductions: fields.acceptsIntroductions ?? true,
      status: fields.status ?? "active",
    })
    .where(eq(users.id, created.id))
    .returning();
  // How recently they were here orders each group: their session's last visit.
  await getDb().execute(
    sql`update sessions set last_seen_at = now() - make_interval(hours => ${fields.activeHoursAgo ?? 1})
        where user_id = ${created.id}`,
  );
  return { user: user!, cookie: setCookie.split(";")[0]! };
}

async function partnersOf(viewer: Librarian) {
  const page = await callLoader(partnersLoader, "/partners", {}, { cookie: viewer.cookie });
  return page.partners;
}

function introduce(from: Librarian, to: Librarian, message = "Hello! I run the Lakeside school library.") {
  return submitForm<{ errors: Record<string, string[]>; values: Record<string, string>; formError: string }>(
    introduceAction,
    `/partners/${to.user.username}/introduce`,
    { message },
    { cookie: from.cookie, params: { username: to.user.username } },
  );
}

const introductionsTo = (member: Librarian) =>
  getDb().select().from(introductions).where(eq(introductions.recipientId, member.user.id));

describe("Find a partner library", () => {
  it("shows a visitor nothing: they are sent to log in", async () => {
    const response = await thrownResponse(callLoader(partnersLoader, "/partners"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fpartners");
  });

  it("lists only the other library type, the same community before the same region before everyone else", async () => {
    // Community names match however they are capitalised or spaced.
    const viewer = await librarian({ libraryType: "school", community: "Cedar Hollow", region: "Vermont" });
    const elsewhereRecent = await librarian({
      libraryType: "public",
      community: "Far Town",
      region: "Oregon",
      activeHoursAgo: 1,
    });
    const regionOnly = await librarian({
      libraryType: "public",
      community: "Other Town",
      region: " vermont ",
      activeHoursAgo: 50,
    });
    const communityOlder = await librarian({
      libraryType: "public",
      community: "cedar hollow ",
      region: "Vermont",
      activeHoursAgo: 40,
    });
    const communityNewer = await librarian({
      libraryType: "public",
      community: "Cedar Hollow",
      region: null,
      activeHoursAgo: 2,
    });
    const sameType = await librarian({ libraryType: "school", community: "Cedar Hollow", region: "Vermont" });
    const academic = await librarian({ libraryType: "academic", community: "Cedar Hollow" });

    const partners = await partnersOf(viewer);
    const ours = new Set(
      [elsewhereRecent, regionOnly, communityOlder, communityNewer].map((member) => member.user.id),
    );
    const listed = partners.filter((partner) => ours.has(partner.id));
    expect(listed.map((partner) => [partner.id, partner.closeness])).toEqual([
      [communityNewer.user.id, "community"],
      [communityOlder.user.id, "community"],
      [regionOnly.user.id, "region"],
      [elsewhereRecent.user.id, "elsewhere"],
    ]);
    const ids = partners.map((partner) => partner.id);
    expect(ids).not.toContain(sameType.user.id);
    expect(ids).not.toContain(academic.user.id);
    expect(ids).not.toContain(viewer.user.id);
    expect(partners.every((partner) => partner.libraryType === "public")).toBe(true);

    // And the other way round: a public librarian sees school librarians.
    const fromPublic = await partnersOf(communityNewer);
    expect(fromPublic.map((partner) => partner.id)).toContain(viewer.user.id);
    expect(fromPublic.every((partner) => partner.libraryType === "school")).toBe(true);
  });

  it("leaves out members not open to partnering, suspended members and blocks either way", async () => {
    const viewer = await librarian({ libraryType: "public", community: "Quarry Bend" });
    const listedOne = await librarian({ libraryType: "school", community: "Quarry Bend" });
    const notOpen = await librarian({
      libraryType: "school",
      community: "Quarry Bend",
      openToPartnering: false,
    });
    const suspended = await librarian({
      libraryType: "school",
      community: "Quarry Bend",
      status: "suspended",
    });
    const blockedByViewer = await librarian({ libraryType: "school", community: "Quarry Bend" });
    const blockingViewer = await librarian({ libraryType: "school", community: "Quarry Bend" });
    await getDb().execute(sql`insert into member_blocks (blocker_id, blocked_id) values
      (${viewer.user.id}, ${blockedByViewer.user.id}), (${blockingViewer.user.id}, ${viewer.user.id})`);

    const ids = (await partnersOf(viewer)).map((partner) => partner.id);
    expect(ids).toContain(listedOne.user.id);
    for (const hidden of [notOpen, suspended, blockedByViewer, blockingViewer]) {
      expect(ids).not.toContain(hidden.user.id);
    }
  });

  it("shows each member's three latest published posts, in two queries for the whole page", async () => {
    const viewer = await librarian({ libraryType: "school", community: "Post Falls" });
    const writer = await librarian({ libraryType: "public", community: "Post Falls" });
    const quiet = await librarian({ libraryType: "public", community: "Post Falls" });
    for (let day = 5; day >= 1; day -= 1) {
      await createPost(writer.user, {
        title: `Storytime swap, week ${6 - day}`,
        createdAt: new Date(Date.now() - day * 86_400_000),
      });
    }
    await createPost(writer.user, { title: "A post still waiting for moderation", status: "pending" });

    const profile = await getPartnerProfile(viewer.user.id);
    const { result, queries } = await countQueries(() => findPartners(profile!));
    expect(queries).toBe(2);
    const card = result.partners.find((partner) => partner.id === writer.user.id);
    expect(card?.recentPosts.map((post) => post.title)).toEqual([
      "Storytime swap, week 5",
      "Storytime swap, week 4",
      "Storytime swap, week 3",
    ]);
    expect(result.partners.find((partner) => partner.id === quiet.user.id)?.recentPosts).toEqual([]);
  });

  it("pages by keyset without repeating or skipping anyone", async () => {
    const viewer = await librarian({ libraryType: "school", community: "Paging Point", region: "Maine" });
    for (const [community, region] of [
      ["Paging Point", "Maine"],
      ["Paging Point", null],
      ["Elm", "Maine"],
      ["Oak", "Texas"],
      ["Ash", "Texas"],
    ] as const) {
      await librarian({ libraryType: "public", community, region });
    }
    const profile = (await getPartnerProfile(viewer.user.id))!;
    const everyone = (await findPartners(profile, { limit: 100 })).partners.map((partner) => partner.id);
    const paged: number[] = [];
    let cursor = null;
    do {
      const page: Awaited<ReturnType<typeof findPartners>> = await findPartners(profile, {
        cursor,
        limit: 2,
      });
      paged.push(...page.partners.map((partner) => partner.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(everyone);
  });

  it("refuses a page link it did not make", async () => {
    const viewer = await librarian({ libraryType: "school" });
    const response = await thrownResponse(
      callLoader(partnersLoader, "/partners?cursor=bm90LWEtY3Vyc29y", {}, { cookie: viewer.cookie }),
    );
    expect(response.status).toBe(400);
  });
});

describe("Introduce yourself", () => {
  it("stores the introduction and notifies the recipient, who reads it without ever seeing the sender's e-mail address", async () => {
    const sender = await librarian({ libraryType: "school", community: "Birch Bay" });
    const recipient = await librarian({ libraryType: "public", community: "Birch Bay" });

    const form = await callLoader(
      introduceLoader,
      `/partners/${recipient.user.username}/introduce`,
      { username: recipient.user.username },
      { cookie: sender.cookie },
    );
    expect(form.accepting).toBe(true);

    const answer = await introduce(
      sender,
      recipient,
      "Hello!\n\nCould your teens read to our second graders?",
    );
    expect(answer.status).toBe(302);
    const [stored] = await introductionsTo(recipient);
    expect(stored).toMatchObject({
      senderId: sender.user.id,
      message: "Hello!\n\nCould your teens read to our second graders?",
    });
    expect(answer.location).toBe(`/introductions/${stored!.id}?sent=1`);

    const [notice] = await getDb()
      .select()
      .from(notifications)
      .where(eq(notifications.introductionId, stored!.id));
    expect(notice).toMatchObject({
      userId: recipient.user.id,
      kind: "introduction",
      actorId: sender.user.id,
    });

    // The e-mail (immediately, by default, and before the page marks it read) links to the introduction and quotes it, and is
    // addressed to the recipient alone.
    await queueNotificationEmails();
    const mail = await getDb().select().from(outbox).where(eq(outbox.toAddress, recipient.user.email));
    expect(mail).toHaveLength(1);
    expect(mail[0]!.textBody).toContain(`/introductions/${stored!.id}`);
    expect(mail[0]!.textBody).toContain("> Could your teens read to our second graders?");
    expect(JSON.stringify(mail)).not.toContain(sender.user.email);

    const list = await callLoader(notificationsLoader, "/notifications", {}, { cookie: recipient.cookie });
    const item = list.items.find((entry) => entry.id === notice!.id);
    expect(item?.href).toBe(`/introductions/${stored!.id}`);
    expect(JSON.stringify(list)).not.toContain(sender.user.email);

    const page = await callLoader(
      introductionLoader,
      `/introductions/${stored!.id}`,
      { id: String(stored!.id) },
      { cookie: recipient.cookie },
    );
    expect(page.isRecipient).toBe(true);
    expect(page.introduction.message).toBe("Hello!\n\nCould your teens read to our second graders?");
    expect(page.introduction.sender.username).toBe(sender.user.username);
    expect(JSON.stringify(page)).not.toContain(sender.user.email);

    // Nobody else learns that it exists.
    const stranger = await librarian({ libraryType: "public" });
    const hidden = await thrownResponse(
      callLoader(
        introductionLoader,
        `/introductions/${stored!.id}`,
        { id: String(stored!.id) },
        { cookie: stranger.cookie },
      ),
    );
    expect(hidden.status).toBe(404);
  });

  it("refuses, storing nothing, when the recipient turned introductions off", async () => {
    const sender = await librarian({ libraryType: "school" });
    const recipient = await librarian({ libraryType: "public", acceptsIntroductions: false });
    const answer = await introduce(sender, recipient, "Hello there.");
    expect(answer.status).toBe(403);
    expect(answer.data?.formError).toBe("This member is not accepting introductions.");
    expect(answer.data?.values.message).toBe("Hello there.");
    expect(await introductionsTo(recipient)).toEqual([]);
  });

  it("lets the recipient block the sender: no more introductions, and out of each other's lists", async () => {
    const sender = await librarian({ libraryType: "school", community: "Fernwood" });
    const recipient = await librarian({ libraryType: "public", community: "Fernwood" });
    await introduce(sender, recipient);
    const [first] = await introductionsTo(recipient);
    const path = `/introductions/${first!.id}`;
    const params = { id: String(first!.id) };

    // The sender may read what they sent, but not block anyone with it.
    const bySender = await submitForm(
      introductionAction,
      path,
      { intent: "block" },
      { cookie: sender.cookie, params },
    );
    expect(bySender.status).toBe(403);

    const blocked = await submitForm(
      introductionAction,
      path,
      { intent: "block" },
      { cookie: recipient.cookie, params },
    );
    expect(blocked.status).toBe(302);
    expect(blocked.location).toBe(`${path}?done=blocked`);

    const again = await introduce(sender, recipient, "Did you get my message?");
    expect(again.status).toBe(403);
    expect(again.data?.formError).toBe("This member is not accepting introductions.");
    expect(await introductionsTo(recipient)).toHaveLength(1);
    expect((await partnersOf(recipient)).map((partner) => partner.id)).not.toContain(sender.user.id);
    expect((await partnersOf(sender)).map((partner) => partner.id)).not.toContain(recipient.user.id);

    const page = await callLoader(introductionLoader, path, params, { cookie: recipient.cookie });
    expect(page.introduction.senderBlocked).toBe(true);

    const unblocked = await submitForm(
      introductionAction,
      path,
      { intent: "unblock" },
      { cookie: recipient.cookie, params },
    );
    expect(unblocked.location).toBe(`${path}?done=unblocked`);
    expect((await introduce(sender, recipient, "Trying once more.")).status).toBe(302);
  });

  it("allows five introductions a day, then answers 429 and keeps the message", async () => {
    const sender = await librarian({ libraryType: "school" });
    for (let count = 0; count < 5; count += 1) {
      const recipient = await librarian({ libraryType: "public" });
      expect((await introduce(sender, recipient)).status).toBe(302);
    }
    const sixth = await librarian({ libraryType: "public" });
    const answer = await introduce(sender, sixth, "One more, please.");
    expect(answer.status).toBe(429);
    expect(answer.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(answer.data?.formError).toMatch(
      /^You have sent several introductions today\. Please try again in/,
    );
    expect(answer.data?.values.message).toBe("One more, please.");
    expect(await introductionsTo(sixth)).toEqual([]);
  });

  it("checks the message, keeps what was typed and stores nothing", async () => {
    const sender = await librarian({ libraryType: "school" });
    const recipient = await librarian({ libraryType: "public" });
    const empty = await introduce(sender, recipient, "   ");
    expect(empty.status).toBe(400);
    expect(empty.data?.errors.message).toEqual(["Write a few words about you and your library."]);
    const long = await introduce(sender, recipient, "a".repeat(1001));
    expect(long.status).toBe(400);
    expect(long.data?.errors.message).toEqual(["Keep the message to 1,000 characters."]);
    expect(long.data?.values.message).toHaveLength(1001);
    expect(await introductionsTo(recipient)).toEqual([]);
  });

  it("does not let a member introduce themselves to themselves or to someone who is not there", async () => {
    const member = await librarian({ libraryType: "school" });
    expect((await introduce(member, member)).status).toBe(400);
    const answer = await submitForm(
      introduceAction,
      "/partners/nobody-here/introduce",
      { message: "Hello" },
      { cookie: member.cookie, params: { username: "nobody-here" } },
    );
    expect(answer.status).toBe(404);
  });
});

describe("the partner settings", () => {
  const profileFields = {
    intent: "profile",
    displayName: "Ines Park",
    libraryType: "school",
    community: "Lakeside",
    bio: "",
  };

  it("saves the region, Open to partnering and Accept introductions", async () => {
    const member = await librarian({ libraryType: "school", openToPartnering: false });
    const saved = await submitForm(
      settingsAction,
      "/settings",
      { ...profileFields, region: "  Minnesota ", openToPartnering: "on" },
      { cookie: member.cookie },
    );
    expect(saved.location).toBe("/settings?saved=profile");
    const page = await callLoader(settingsLoader, "/settings", {}, { cookie: member.cookie });
    // An unticked box is left out of the form: introductions are now off.
    expect(page.account).toMatchObject({
      region: "Minnesota",
      openToPartnering: true,
      acceptsIntroductions: false,
    });
  });

  it("refuses a region over 60 characters and keeps what was typed", async () => {
    const member = await librarian({ libraryType: "school", region: "Vermont" });
    const region = "R".repeat(61);
    const answer = await submitForm<{ errors: Record<string, string[]>; values: Record<string, string> }>(
      settingsAction,
      "/settings",
      { ...profileFields, region, acceptsIntroductions: "on" },
      { cookie: member.cookie },
    );
    expect(answer.status).toBe(400);
    expect(answer.data?.errors.region).toEqual(["Keep the region to 60 characters."]);
    expect(answer.data?.values).toMatchObject({ region, acceptsIntroductions: "on" });
    const [stored] = await getDb().select().from(users).where(eq(users.id, member.user.id));
    expect(stored?.region).toBe("Vermont");
  });
});
