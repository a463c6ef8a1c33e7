import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  answerSummaries,
  answerSummaryCredits,
  comments,
  moderationActions,
  notifications,
  type Post,
} from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { defaultModerationPolicy } from "~/lib/moderation-policy";
import { saveModerationPolicy } from "~/models/settings.server";
import { loader as homeLoader } from "~/routes/_index";
import { loader as threadLoader } from "~/routes/posts.$postId.($slug)";
import { action as summaryAction, loader as summaryLoader } from "~/routes/posts.$postId.summary";
import { loader as searchLoader } from "~/routes/search";
import { createComment, createPost } from "../support/factories";
import { joinedAccount, type Account } from "../support/member-actions";
import { callLoader, TEST_CLIENT_IP, thrownResponse } from "../support/requests";

beforeAll(async () => {
  await saveModerationPolicy({ ...defaultModerationPolicy, trustThreshold: 0 }, null);
});

type SummaryAnswer = {
  status: number;
  location: string | null;
  text: string | null;
  data: { errors: Record<string, string[] | undefined>; values: { body: string }; credited: string[] } | null;
};

/**
 * Posts the summary form as a browser does: one `credit` field per ticked
 * checkbox, which the shared submitForm (one value per name) cannot send.
 */
async function submitSummary(
  cookie: string | undefined,
  postId: number,
  body: string,
  credits: number[] = [],
): Promise<SummaryAnswer> {
  const form = new URLSearchParams([["body", body], ...credits.map((id) => ["credit", String(id)])]);
  const request = new Request(`http://localhost/posts/${postId}/summary`, {
    method: "POST",
    body: form,
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      ...(cookie ? { Cookie: cookie } : {}),
    },
  });
  const args = {
    request,
    params: { postId: String(postId) },
    context: { cspNonce: "test-nonce", clientIp: TEST_CLIENT_IP },
  };
  let result: unknown;
  try {
    result = await summaryAction(args);
  } catch (error) {
    if (!(error instanceof Response)) throw error;
    result = error;
  }
  if (result instanceof Response) {
    return {
      status: result.status,
      location: result.headers.get("Location"),
      text: result.status >= 400 ? await result.text() : null,
      data: null,
    };
  }
  const answer = result as { data: SummaryAnswer["data"]; init: ResponseInit | null };
  return { status: answer.init?.status ?? 200, location: null, text: null, data: answer.data };
}

const openThread = (postId: number, cookie?: string) =>
  callLoader(threadLoader, `/posts/${postId}`, { postId: String(postId) }, { cookie });

const openSummaryPage = (postId: number, cookie?: string) =>
  callLoader(summaryLoader, `/posts/${postId}/summary`, { postId: String(postId) }, { cookie });

async function creditNotices(userId: number) {
  return getDb()
    .select({
      commentId: notifications.commentId,
      actorId: notifications.actorId,
      postId: notifications.postId,
    })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), eq(notifications.kind, "summary_credit")));
}

async function storedSummary(postId: number) {
  const [summary] = await getDb().select().from(answerSummaries).where(eq(answerSummaries.postId, postId));
  const credits = await getDb()
    .select({ commentId: answerSummaryCredits.commentId })
    .from(answerSummaryCredits)
    .where(eq(answerSummaryCredits.postId, postId));
  return { summary, creditIds: credits.map((row) => row.commentId).sort((a, b) => a - b) };
}

type Question = { asker: Account; rosa: Account; tomas: Account; question: Post };

async function questionWithReplies(): Promise<Question & { rosaReply: number; tomasReply: number }> {
  const asker = await joinedAccount();
  const rosa = await joinedAccount();
  const tomas = await joinedAccount();
  const question = await createPost(asker.user, {
    kind: "question",
    title: "Summer reading logs for the youngest readers?",
  });
  const rosaReply = await createComment(question, rosa.user, { body: "We switched to a bingo card." });
  const tomasReply = await createComment(question, tomas.user, { body: "Required logs dampen motivation." });
  return { asker, rosa, tomas, question, rosaReply: rosaReply.id, tomasReply: tomasReply.id };
}

describe("a summary of answers", () => {
  it("is written by the asker, shown under the question with its credits, and tells each credited author once", async () => {
    const { asker, rosa, tomas, question, rosaReply, tomasReply } = await questionWithReplies();
    const ownReply = await createComment(question, asker.user, { body: "Thanks, both of you." });

    const before = await openThread(question.id, asker.cookie);
    expect(before.answerSummary).toBeNull();

    const page = await openSummaryPage(question.id, asker.cookie);
    expect(page.hasSummary).toBe(false);
    expect(page.replies.map((reply) => reply.id)).toEqual([rosaReply, tomasReply, ownReply.id]);
    expect(page.replies[0]).toMatchObject({
      authorDisplayName: rosa.user.displayName,
      excerpt: "We switched to a bingo card.",
    });

    const saved = await submitSummary(asker.cookie, question.id, "**Bingo cards** won. <script>x</script>", [
      rosaReply,
      tomasReply,
      ownReply.id,
    ]);
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/posts/${question.id}/${question.slug}#answer-summary`);

    // A visitor sees it too, with its writer and links to the credited replies.
    const thread = await openThread(question.id);
    expect(thread.answerSummary).toMatchObject({
      writer: { username: asker.user.username, displayName: asker.user.displayName },
      editedAt: null,
      credits: [
        { commentId: rosaReply, authorDisplayName: rosa.user.displayName },
        { commentId: tomasReply, authorDisplayName: tomas.user.displayName },
        { commentId: ownReply.id, authorDisplayName: asker.user.displayName },
      ],
    });
    expect(thread.answerSummary?.bodyHtml).toContain("<strong>Bingo cards</strong>");
    expect(thread.answerSummary?.bodyHtml).not.toContain("<script");

    expect(await creditNotices(rosa.user.id)).toEqual([
      { commentId: rosaReply, actorId: asker.user.id, postId: question.id },
    ]);
    expect(await creditNotices(tomas.user.id)).toEqual([
      { commentId: tomasReply, actorId: asker.user.id, postId: question.id },
    ]);
    // Crediting oneself tells nobody.
    expect(await creditNotices(asker.user.id)).toEqual([]);
    // The asker writing on their own question is no moderation action.
    expect(
      await getDb().select().from(moderationActions).where(eq(moderationActions.postId, question.id)),
    ).toEqual([]);
  });

  it("keeps the previous text as a revision on an edit, and never tells a re-credited author twice", async () => {
    const { asker, rosa, tomas, question, rosaReply, tomasReply } = await questionWithReplies();
    await submitSummary(asker.cookie, question.id, "First version.", [rosaReply, tomasReply]);
    expect((await openSummaryPage(question.id, asker.cookie)).revisions).toEqual([]);

    // Take Tomás's credit back, then give it again with Rosa's kept throughout.
    expect((await submitSummary(asker.cookie, question.id, "Second version.", [rosaReply])).status).toBe(302);
    expect((await storedSummary(question.id)).creditIds).toEqual([rosaReply]);
    expect(
      (await submitSummary(asker.cookie, question.id, "Second version.", [rosaReply, tomasReply])).status,
    ).toBe(302);

    expect(await creditNotices(rosa.user.id)).toHaveLength(1);
    expect(await creditNotices(tomas.user.id)).toHaveLength(1);

    const page = await openSummaryPage(question.id, asker.cookie);
    expect(page.hasSummary).toBe(true);
    expect(page.body).toBe("Second version.");
    expect(page.credited).toEqual([String(rosaReply), String(tomasReply)]);
    // Saving the same text again (credits only) made no second revision.
    expect(page.revisions).toEqual([
      expect.objectContaining({ bodyMd: "First version.", editorUsername: asker.user.username }),
    ]);
    const thread = await openThread(question.id);
    expect(thread.answerSummary?.editedAt).toBeInstanceOf(Date);
    expect(thread.answerSummary?.bodyHtml).toContain("Second version.");
  });

  it("is refused to other members (403) and sends visitors to log in", async () => {
    const { rosa, question, rosaReply } = await questionWithReplies();

    const forbiddenPage = await thrownResponse(openSummaryPage(question.id, rosa.cookie));
    expect(forbiddenPage.status).toBe(403);
    const forbidden = await submitSummary(rosa.cookie, question.id, "I'll summarise it for them.", [
      rosaReply,
    ]);
    expect(forbidden.status).toBe(403);
    expect(forbidden.text).toBe("Only the person who asked, or a moderator, may summarise the answers.");

    const visitorPage = await thrownResponse(openSummaryPage(question.id));
    expect(visitorPage.status).toBe(302);
    expect(visitorPage.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    const visitor = await submitSummary(undefined, question.id, "Anonymous summary.");
    expect(visitor.status).toBe(302);
    expect(visitor.location).toMatch(/^\/login\?redirectTo=/);

    expect((await storedSummary(question.id)).summary).toBeUndefined();
    expect(await creditNotices(rosa.user.id)).toEqual([]);
  });

  it("exists only for questions", async () => {
    const asker = await joinedAccount();
    const idea = await createPost(asker.user, { kind: "idea" });
    const page = await thrownResponse(openSummaryPage(idea.id, asker.cookie));
    expect(page.status).toBe(404);
    expect(await page.text()).toBe("Only a question has a summary of answers.");
    expect((await submitSummary(asker.cookie, idea.id, "A summary of an idea.")).status).toBe(404);
    expect((await openThread(idea.id, asker.cookie)).answerSummary).toBeNull();
  });

  it("credits only approved, undeleted replies of that question", async () => {
    const { asker, rosa, question, rosaReply } = await questionWithReplies();
    const held = await createComment(question, rosa.user, { status: "pending", body: "Held reply." });
    const deleted = await createComment(question, rosa.user, { body: "Deleted reply." });
    await getDb().update(comments).set({ deletedAt: new Date() }).where(eq(comments.id, deleted.id));
    const elsewhere = await createComment(await createPost(asker.user, { kind: "question" }), rosa.user);

    const page = await openSummaryPage(question.id, asker.cookie);
    expect(page.replies.map((reply) => reply.id)).not.toContain(held.id);
    expect(page.replies.map((reply) => reply.id)).not.toContain(deleted.id);

    for (const refused of [held.id, deleted.id, elsewhere.id]) {
      const answer = await submitSummary(asker.cookie, question.id, "Keep this text.", [rosaReply, refused]);
      expect(answer.status).toBe(400);
      expect(answer.data?.errors.credit?.[0]).toMatch(/can't be credited/);
      expect(answer.data?.values.body).toBe("Keep this text.");
      expect(answer.data?.credited).toEqual([String(rosaReply), String(refused)]);
    }
    expect((await storedSummary(question.id)).summary).toBeUndefined();
    expect(await creditNotices(rosa.user.id)).toEqual([]);
  });

  it("answers a bad form with messages beside the fields and the input kept", async () => {
    const { asker, question, rosaReply } = await questionWithReplies();
    const empty = await submitSummary(asker.cookie, question.id, "   ", [rosaReply]);
    expect(empty.status).toBe(400);
    expect(empty.data?.errors.body).toEqual(["Write the summary."]);
    expect(empty.data?.credited).toEqual([String(rosaReply)]);

    const long = "x".repeat(10_001);
    const tooLong = await submitSummary(asker.cookie, question.id, long);
    expect(tooLong.status).toBe(400);
    expect(tooLong.data?.errors.body).toEqual(["Keep the summary to 10,000 characters."]);
    expect(tooLong.data?.values.body).toBe(long);

    const malformed = await submitSummary(asker.cookie, question.id, "Fine text.", [0]);
    expect(malformed.status).toBe(400);
    expect(malformed.data?.errors.credit).toEqual(["Choose replies from the list."]);
    expect((await storedSummary(question.id)).summary).toBeUndefined();

    expect((await submitSummary(asker.cookie, question.id, "x".repeat(10_000))).status).toBe(302);
  });

  it("marks the question answered: the unanswered sort leaves it out", async () => {
    const asker = await joinedAccount();
    const tag = `summaries-${Date.now().toString(36)}`;
    const summarised = await createPost(asker.user, { kind: "question", tags: [tag] });
    const open = await createPost(asker.user, { kind: "question", tags: [tag] });
    const listed = async () =>
      (await callLoader(homeLoader, `/?tag=${tag}&sort=unanswered`)).posts.map((post) => post.id);
    expect(await listed()).toEqual([open.id, summarised.id]);

    // Answers that came by e-mail: a summary with nothing on the forum to credit.
    expect(
      (await submitSummary(asker.cookie, summarised.id, "Three people wrote to me directly.")).status,
    ).toBe(302);
    expect(await listed()).toEqual([open.id]);
  });

  it("ranks a thread whose summary matches above threads without one", async () => {
    const asker = await joinedAccount();
    const inTitle = await createPost(asker.user, {
      title: "Bryophyte walks for teens",
      body: "Our bryophyte walks, bryophyte photos and bryophyte notes.",
    });
    const summarised = await createPost(asker.user, {
      kind: "question",
      title: "Ideas for an outdoor club?",
      body: "Anything that gets teens outside.",
    });
    await createComment(inTitle, asker.user, { body: "Bryophyte!" });
    expect(
      (await submitSummary(asker.cookie, summarised.id, "A bryophyte walk was the favourite.")).status,
    ).toBe(302);

    const page = await callLoader(searchLoader, "/search?q=bryophyte");
    expect(page.results.map((result) => result.id)).toEqual([summarised.id, inTitle.id]);
  });

  it("may be written by a moderator on someone's question, which is logged", async () => {
    const { asker, rosa, question, rosaReply } = await questionWithReplies();
    const moderator = await joinedAccount("moderator");
    expect((await openSummaryPage(question.id, moderator.cookie)).hasSummary).toBe(false);
    expect(
      (await submitSummary(moderator.cookie, question.id, "Summarised for the asker.", [rosaReply])).status,
    ).toBe(302);

    const logged = await getDb()
      .select()
      .from(moderationActions)
      .where(eq(moderationActions.postId, question.id));
    expect(logged).toEqual([
      expect.objectContaining({
        actorId: moderator.user.id,
        action: "edit",
        targetUserId: asker.user.id,
        details: { answerSummary: "written", credits: { from: [], to: [rosaReply] } },
      }),
    ]);
    expect(await creditNotices(rosa.user.id)).toEqual([
      { commentId: rosaReply, actorId: moderator.user.id, postId: question.id },
    ]);
    const thread = await openThread(question.id, asker.cookie);
    expect(thread.answerSummary?.writer?.username).toBe(moderator.user.username);

    // The asker can take it over: their edit is theirs, not a moderation action.
    expect((await submitSummary(asker.cookie, question.id, "In my own words.", [rosaReply])).status).toBe(
      302,
    );
    expect(
      await getDb().select().from(moderationActions).where(eq(moderationActions.postId, question.id)),
    ).toHaveLength(1);
  });
});
