import { eq, inArray, sql } from "drizzle-orm";
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { outbox } from "~/db/schema";
import { executeRows, getDb } from "~/lib/db.server";
import {
  deliverDueMail,
  retryDelaySeconds,
  sendMail,
  startMailLoop,
  stopMailLoop,
  type MailTransport,
} from "~/lib/mail.server";
import { startSession } from "~/lib/session.server";
import { listUnsubscribeHeaders } from "~/lib/unsubscribe.server";
import { claimDueOutboxMessages, insertOutboxMessage } from "~/models/outbox.server";
import { loader as outboxLoader } from "~/routes/admin.outbox";
import { createMember } from "../support/factories";
import { callLoader } from "../support/requests";

// Each test leaves nothing due behind it, so one test's delivery run never
// picks up another's mail.

type Delivered = { to: { address: string }[]; subject: string; text: string; html?: string };

/** A mail server stand-in: nodemailer's JSON transport, keeping every message it is handed. */
function recordingTransport() {
  const json = nodemailer.createTransport({ jsonTransport: true });
  const delivered: Delivered[] = [];
  const transport: MailTransport = {
    async sendMail(message) {
      const info = await json.sendMail(message);
      delivered.push(JSON.parse(info.message) as Delivered);
      return info;
    },
  };
  return { transport, delivered, addresses: () => delivered.map((mail) => mail.to[0]!.address) };
}

const failingTransport: MailTransport = {
  sendMail() {
    return Promise.reject(new Error("451 4.3.0 Mail server temporarily unavailable"));
  },
};

async function queue(toAddress: string, extra: { htmlBody?: string; headers?: Record<string, string> } = {}) {
  const { id } = await insertOutboxMessage({
    toAddress,
    subject: `A message for ${toAddress}`,
    textBody: "Hello from Crosswalk.",
    ...extra,
  });
  return id;
}

async function rowOf(id: number) {
  const [row] = await executeRows<{
    sent: boolean;
    attempts: number;
    last_error: string | null;
    wait_seconds: number;
  }>(
    sql`select sent_at is not null as sent, attempts, last_error,
          extract(epoch from next_attempt_at - now())::float8 as wait_seconds
        from outbox where id = ${id}`,
  );
  return row!;
}

/** Stands in for time passing: the message's wait (back-off or lease) is over. */
async function makeDueNow(id: number) {
  await getDb()
    .update(outbox)
    .set({ nextAttemptAt: sql`now() - interval '1 second'` })
    .where(eq(outbox.id, id));
}

describe("delivering the outbox", () => {
  it("sends each queued message exactly once when two workers run at the same time", async () => {
    const addresses = Array.from({ length: 30 }, (_, index) => `pair-${index}@example.org`);
    const ids: number[] = [];
    for (const address of addresses) ids.push(await queue(address));

    const first = recordingTransport();
    const second = recordingTransport();
    const [firstResult, secondResult] = await Promise.all([
      deliverDueMail({ transport: first.transport, batchSize: 4 }),
      deliverDueMail({ transport: second.transport, batchSize: 4 }),
    ]);

    const delivered = [...first.addresses(), ...second.addresses()];
    expect(delivered.sort()).toEqual([...addresses].sort());
    expect(firstResult.sent + secondResult.sent).toBe(30);
    expect(firstResult.failed + secondResult.failed).toBe(0);
    // Both took part: the second did not wait for the first to finish.
    expect(first.delivered.length).toBeGreaterThan(0);
    expect(second.delivered.length).toBeGreaterThan(0);

    const rows = await getDb()
      .select({ sentAt: outbox.sentAt, attempts: outbox.attempts })
      .from(outbox)
      .where(inArray(outbox.id, ids));
    expect(rows.every((row) => row.sentAt !== null && row.attempts === 1)).toBe(true);

    const again = recordingTransport();
    expect(await deliverDueMail({ transport: again.transport })).toEqual({ sent: 0, failed: 0 });
    expect(again.delivered).toEqual([]);
  });

  it("keeps a message the mail server refused, waits longer after each failure, then sends it once", async () => {
    const id = await queue("retry@example.org");

    expect(await deliverDueMail({ transport: failingTransport })).toEqual({ sent: 0, failed: 1 });
    let row = await rowOf(id);
    expect(row).toMatchObject({
      sent: false,
      attempts: 1,
      last_error: "451 4.3.0 Mail server temporarily unavailable",
    });
    expect(row.wait_seconds).toBeGreaterThan(50);
    expect(row.wait_seconds).toBeLessThanOrEqual(60);

    // Not due yet: a working mail server gets nothing until the wait is over.
    const early = recordingTransport();
    expect(await deliverDueMail({ transport: early.transport })).toEqual({ sent: 0, failed: 0 });
    expect(early.delivered).toEqual([]);

    await makeDueNow(id);
    await deliverDueMail({ transport: failingTransport });
    row = await rowOf(id);
    expect(row).toMatchObject({ sent: false, attempts: 2 });
    expect(row.wait_seconds).toBeGreaterThan(110);
    expect(row.wait_seconds).toBeLessThanOrEqual(120);

    await makeDueNow(id);
    const server = recordingTransport();
    expect(await deliverDueMail({ transport: server.transport })).toEqual({ sent: 1, failed: 0 });
    expect(server.addresses()).toEqual(["retry@example.org"]);
    expect(await rowOf(id)).toMatchObject({ sent: true, attempts: 3, last_error: null });

    await makeDueNow(id);
    expect(await deliverDueMail({ transport: server.transport })).toEqual({ sent: 0, failed: 0 });
    expect(server.delivered).toHaveLength(1);
  });

  it("never gives a message up, and waits at most 6 hours between attempts", async () => {
    expect([1, 2, 3, 4, 9, 10, 40, 5000].map(retryDelaySeconds)).toEqual([
      60, 120, 240, 480, 15_360, 21_600, 21_600, 21_600,
    ]);

    const id = await queue("stubborn@example.org");
    await getDb().update(outbox).set({ attempts: 49 }).where(eq(outbox.id, id));
    await deliverDueMail({ transport: failingTransport });
    const row = await rowOf(id);
    expect(row).toMatchObject({ sent: false, attempts: 50 });
    expect(row.wait_seconds).toBeGreaterThan(6 * 3600 - 10);
    expect(row.wait_seconds).toBeLessThanOrEqual(6 * 3600);
  });

  it("leaves a message claimed by a process that died alone until its lease ends, then sends it", async () => {
    const id = await queue("lease@example.org");
    const claimed = await claimDueOutboxMessages(10, 300);
    expect(claimed.map((message) => message.id)).toEqual([id]);
    // The claiming process is gone before it sent anything.

    const server = recordingTransport();
    expect(await deliverDueMail({ transport: server.transport })).toEqual({ sent: 0, failed: 0 });
    const leased = await rowOf(id);
    expect(leased.wait_seconds).toBeGreaterThan(290);

    await makeDueNow(id);
    expect(await deliverDueMail({ transport: server.transport })).toEqual({ sent: 1, failed: 0 });
    expect(server.addresses()).toEqual(["lease@example.org"]);
  });

  it("hands the mail server the sender, the plain-text and HTML parts and the List-Unsubscribe headers", async () => {
    const member = await createMember({ email: "parts@example.org" });
    const headers = listUnsubscribeHeaders(member.id, "replies");
    await queue("parts@example.org", { htmlBody: "<p>Hello from <strong>Crosswalk</strong>.</p>", headers });

    const raw: string[] = [];
    const stream = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const transport: MailTransport = {
      async sendMail(message) {
        const info = await stream.sendMail(message);
        raw.push((info.message as Buffer).toString("utf8"));
        return info;
      },
    };
    expect(await deliverDueMail({ transport })).toEqual({ sent: 1, failed: 0 });

    expect(raw).toHaveLength(1);
    // Long header lines are folded onto the next line; unfold them to read them.
    const message = raw[0]!.replace(/\r\n/g, "\n").replace(/\n[ \t]+/g, " ");
    expect(message).toContain("From: Crosswalk <no-reply@localhost>");
    expect(message).toContain("To: parts@example.org");
    expect(message).toContain(`List-Unsubscribe: ${headers["List-Unsubscribe"]}`);
    expect(message).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(message).toMatch(/^Message-ID: <outbox-\d+\.\d+@localhost>$/m);
    expect(message).toContain("Content-Type: multipart/alternative;");
    expect(message).toMatch(/Content-Type: text\/plain; charset=utf-8[\s\S]*Hello from Crosswalk\./);
    expect(message).toMatch(
      /Content-Type: text\/html; charset=utf-8[\s\S]*<p>Hello from <strong>Crosswalk<\/strong>\.<\/p>/,
    );
  });

  it("shows an admin at /admin/outbox how often stuck mail was tried, why it failed and when it is tried next", async () => {
    const id = await queue("stuck@example.org");
    await deliverDueMail({ transport: failingTransport });
    const admin = await createMember({ role: "admin" });
    const cookie = (await startSession(new Request("http://localhost/"), admin.id, null)).split(";")[0]!;

    const page = await callLoader(outboxLoader, "/admin/outbox", {}, { cookie });
    const stuck = page.messages.find((message) => message.id === id);
    expect(stuck).toMatchObject({
      sentAt: null,
      attempts: 1,
      lastError: "451 4.3.0 Mail server temporarily unavailable",
    });
    expect(stuck!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(page.undelivered.count).toBeGreaterThanOrEqual(1);
    expect(page.undelivered.oldest).toBeInstanceOf(Date);
  });

  it("delivers mail queued with sendMail within moments while the loop runs", async () => {
    const server = recordingTransport();
    // A long interval: only sendMail's nudge can deliver within the test.
    startMailLoop(server.transport, 600_000);
    try {
      await sendMail({ to: "nudge@example.org", subject: "Reset your password", text: "The link." });
      await expect.poll(() => server.addresses(), { timeout: 5_000 }).toContain("nudge@example.org");
    } finally {
      await stopMailLoop();
    }
    const [row] = await getDb()
      .select({ sentAt: outbox.sentAt })
      .from(outbox)
      .where(eq(outbox.toAddress, "nudge@example.org"));
    expect(row?.sentAt).not.toBeNull();
  });
});
