import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { emailPreferences, users } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { isCrossSiteRequest } from "~/lib/same-origin";
import { listUnsubscribeHeaders, unsubscribeToken, unsubscribeUrl } from "~/lib/unsubscribe.server";
import { setEmailPreference } from "~/models/email-preferences.server";
import { action, loader } from "~/routes/unsubscribe";
import { joinAs } from "../support/accounts";
import { createMember } from "../support/factories";
import { callLoader, submitForm, thrownResponse } from "../support/requests";

/** The member's stored choices, topic by topic (a missing topic means its default). */
async function preferencesOf(userId: number) {
  const rows = await getDb()
    .select({ topic: emailPreferences.topic, frequency: emailPreferences.frequency })
    .from(emailPreferences)
    .where(eq(emailPreferences.userId, userId));
  return Object.fromEntries(rows.map((row) => [row.topic, row.frequency]));
}

/** The path and query of an e-mailed link, as the app's router sees it. */
function pathOf(url: string) {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

describe("the unsubscribe link", () => {
  it("asks first: opening the link, as mail scanners do, changes nothing", async () => {
    const member = await createMember();
    const link = pathOf(unsubscribeUrl(member.id, "replies"));

    const page = await callLoader(loader, link);
    expect(page.label).toBe("replies to you");
    await callLoader(loader, link);

    expect(await preferencesOf(member.id)).toEqual({});
  });

  it("turns that topic's e-mail off with the button, without logging in", async () => {
    const member = await createMember();
    await setEmailPreference(member.id, "mentions", "daily");

    const answer = await submitForm(action, pathOf(unsubscribeUrl(member.id, "mentions")), {});
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ label: "mentions of you" });
    expect(await preferencesOf(member.id)).toEqual({ mentions: "never" });
  });

  it("acts for the member the link names, whoever is logged in", async () => {
    const named = await createMember();
    const { cookie, fields } = await joinAs();
    const [other] = await getDb().select().from(users).where(eq(users.email, fields.email));

    const answer = await submitForm(action, pathOf(unsubscribeUrl(named.id, "watched")), {}, { cookie });
    expect(answer.status).toBe(200);
    expect(await preferencesOf(named.id)).toEqual({ watched: "never" });
    expect(await preferencesOf(other!.id)).toEqual({});
  });

  it("takes a mail provider's RFC 8058 one-click POST to the address in List-Unsubscribe", async () => {
    const member = await createMember();
    const headers = listUnsubscribeHeaders(member.id, "helpful");
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const address = /^<(.+)>$/.exec(headers["List-Unsubscribe"]!)?.[1];
    expect(address).toMatch(/^http:\/\/localhost:\d+\/unsubscribe\?token=/);

    // The provider's server sends no cookie, no Origin and no Sec-Fetch-Site,
    // which the server's cross-site check lets through.
    expect(isCrossSiteRequest("POST", { host: "localhost:3000" })).toBe(false);
    const answer = await submitForm(action, pathOf(address!), { "List-Unsubscribe": "One-Click" });
    expect(answer.status).toBe(200);
    expect(await preferencesOf(member.id)).toEqual({ helpful: "never" });
  });

  it("turns off everything in the weekly digest from the digest's link, and nothing else", async () => {
    const member = await createMember();
    await setEmailPreference(member.id, "replies", "weekly");
    await setEmailPreference(member.id, "helpful", "daily");

    const link = pathOf(unsubscribeUrl(member.id, "weekly-digest"));
    expect((await callLoader(loader, link)).label).toBe("anything in the weekly digest");
    const answer = await submitForm(action, link, { "List-Unsubscribe": "One-Click" });
    expect(answer.status).toBe(200);
    // Watched, accepted and moderation are weekly by default; mentions stays as it was.
    expect(await preferencesOf(member.id)).toEqual({
      replies: "never",
      watched: "never",
      accepted: "never",
      moderation: "never",
      helpful: "daily",
    });
  });

  it("refuses a forged, altered or missing token with 400 and changes nothing", async () => {
    const member = await createMember();
    const victim = await createMember();
    await setEmailPreference(victim.id, "replies", "immediately");
    const [id, topic, signature] = unsubscribeToken(member.id, "replies").split(".");
    const forged = [
      `${victim.id}.replies.${"A".repeat(43)}`,
      `${victim.id}.${topic}.${signature}`,
      `${id}.mentions.${signature}`,
      `${id}.${topic}.${signature}x`,
      `${id}.${topic}`,
      `${id}.everything.${signature}`,
      "not-a-token",
      "",
    ];
    for (const token of forged) {
      const link = `/unsubscribe?${new URLSearchParams({ token })}`;
      const page = await thrownResponse(callLoader(loader, link));
      expect(page.status).toBe(400);
      expect(await page.text()).toContain("This unsubscribe link is not valid.");

      const answer = await submitForm(action, link, { "List-Unsubscribe": "One-Click" });
      expect(answer.status, token).toBe(400);
      expect(answer.text).toContain("This unsubscribe link is not valid.");
    }
    const missing = await submitForm(action, "/unsubscribe", {});
    expect(missing.status).toBe(400);

    expect(await preferencesOf(member.id)).toEqual({});
    expect(await preferencesOf(victim.id)).toEqual({ replies: "immediately" });
  });

  it("answers 404 for a link whose account no longer exists", async () => {
    const member = await createMember();
    const link = pathOf(unsubscribeUrl(member.id, "replies"));
    await getDb().delete(users).where(eq(users.id, member.id));

    const answer = await submitForm(action, link, {});
    expect(answer.status).toBe(404);
    expect(answer.text).toBe("This account no longer exists, so Crosswalk sends it no e-mail.");
  });
});
