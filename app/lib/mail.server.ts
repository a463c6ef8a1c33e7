import nodemailer from "nodemailer";
import {
  claimDueOutboxMessages,
  insertOutboxMessage,
  markOutboxFailed,
  markOutboxSent,
  type ClaimedOutboxMessage,
} from "~/models/outbox.server";
import { readEnvironment } from "./env.server";
import { logger } from "./logger.server";

/** What delivery needs from nodemailer; tests pass a jsonTransport or an object that fails. */
export type MailTransport = {
  sendMail(message: nodemailer.SendMailOptions): Promise<unknown>;
  close?(): void;
};

/** The transport for SMTP_URL, or null when no mail server is configured (mail then stays in the outbox). */
export function createMailTransport(smtpUrl: string | undefined): MailTransport | null {
  return smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
}

const MAIL_LOOP_INTERVAL_MS = 10_000;
const BATCH_SIZE = 20;
const LEASE_SECONDS = 5 * 60;
const FIRST_RETRY_SECONDS = 60;
const MAX_RETRY_SECONDS = 6 * 60 * 60;
const STOP_WAIT_MS = 5_000;

/** The wait after the nth failed attempt: 1 minute, doubling each time, at most 6 hours. */
export function retryDelaySeconds(attempts: number) {
  const doublings = Math.min(Math.max(attempts - 1, 0), 20);
  return Math.min(FIRST_RETRY_SECONDS * 2 ** doublings, MAX_RETRY_SECONDS);
}

function toNodemailer(message: ClaimedOutboxMessage, from: string, host: string): nodemailer.SendMailOptions {
  return {
    from,
    to: message.toAddress,
    subject: message.subject,
    text: message.textBody,
    ...(message.htmlBody ? { html: message.htmlBody } : {}),
    headers: message.headers,
    // The same id on every attempt, so a receiver can tell a repeat after a lost lease from a new message.
    messageId: `<outbox-${message.id}.${message.createdAt.getTime()}@${host}>`,
  };
}

/**
 * Sends every message that is due, in batches, and records each outcome.
 * Safe to run in several processes at once: each batch is claimed with
 * SKIP LOCKED and leased (see claimDueOutboxMessages), so two processes never
 * hold the same message. Delivery is at least once: a process killed between
 * the mail server's answer and markOutboxSent leaves its messages leased, and
 * they go out again when the lease ends. A failure is never final; the
 * message waits (retryDelaySeconds) and is tried again.
 */
export async function deliverDueMail({
  transport,
  batchSize = BATCH_SIZE,
  leaseSeconds = LEASE_SECONDS,
  signal,
}: {
  transport: MailTransport;
  batchSize?: number;
  leaseSeconds?: number;
  /** Ends the run after the message being sent; the rest stay leased until the lease ends. */
  signal?: AbortSignal;
}): Promise<{ sent: number; failed: number }> {
  const environment = readEnvironment();
  const host = new URL(environment.publicUrl).hostname;
  const result = { sent: 0, failed: 0 };
  for (;;) {
    const claimedAt = Date.now();
    const batch = await claimDueOutboxMessages(batchSize, leaseSeconds);
    for (const message of batch) {
      if (signal?.aborted) return result;
      // A slow mail server can outlast the lease; once another process may have
      // claimed the rest of the batch, leave it to them rather than send it twice.
      if (Date.now() - claimedAt > leaseSeconds * 1000 * 0.8) return result;
      try {
        await transport.sendMail(toNodemailer(message, environment.MAIL_FROM, host));
      } catch (error) {
        const retryAfter = retryDelaySeconds(message.attempts);
        logger.error(
          { err: error, outboxId: message.id, attempts: message.attempts, retryAfterSeconds: retryAfter },
          "mail delivery failed",
        );
        await markOutboxFailed(
          message.id,
          error instanceof Error ? error.message : String(error),
          retryAfter,
        );
        result.failed++;
        continue;
      }
      // Outside the try: a sent message must never be recorded as failed.
      await markOutboxSent(message.id);
      result.sent++;
    }
    if (batch.length < batchSize || signal?.aborted) return result;
  }
}

type MailLoop = {
  transport: MailTransport;
  timer: NodeJS.Timeout;
  running: Promise<void> | null;
  again: boolean;
  stopped: AbortController;
};

// Kept on globalThis, like the database connection, so that a route module
// reloaded by Vite still nudges the loop that startApp started.
const globalState = globalThis as typeof globalThis & { __crosswalkMailLoop?: MailLoop };

function runMailLoop(loop: MailLoop) {
  if (loop.stopped.signal.aborted) return;
  if (loop.running) {
    loop.again = true;
    return;
  }
  loop.again = false;
  loop.running = deliverDueMail({ transport: loop.transport, signal: loop.stopped.signal })
    .then(({ sent, failed }) => {
      if (sent > 0 || failed > 0) logger.info({ sent, failed }, "delivered mail from the outbox");
    })
    .catch((error: unknown) => logger.error({ err: error }, "mail loop failed"))
    .finally(() => {
      loop.running = null;
      // A nudge that came while this run was busy may have queued mail it did not see.
      if (loop.again) runMailLoop(loop);
    });
}

/** Delivers due mail now and every 10 seconds until stopMailLoop; one run at a time per process. */
export function startMailLoop(transport: MailTransport, intervalMs = MAIL_LOOP_INTERVAL_MS) {
  if (globalState.__crosswalkMailLoop) throw new Error("The mail loop is already running.");
  const loop: MailLoop = {
    transport,
    timer: setInterval(() => runMailLoop(loop), intervalMs),
    running: null,
    again: false,
    stopped: new AbortController(),
  };
  loop.timer.unref();
  globalState.__crosswalkMailLoop = loop;
  runMailLoop(loop);
}

/**
 * Stops the timer and gives a run in progress a few seconds to record what it
 * sent before the database closes. A mail server that hangs does not hold up
 * shutdown: what it was sending stays leased and goes out again later.
 */
export async function stopMailLoop() {
  const loop = globalState.__crosswalkMailLoop;
  if (!loop) return;
  globalState.__crosswalkMailLoop = undefined;
  loop.stopped.abort();
  clearInterval(loop.timer);
  if (loop.running) {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_WAIT_MS);
    });
    await Promise.race([loop.running, deadline]);
    clearTimeout(timer);
  }
  loop.transport.close?.();
}

/** Asks the running loop, if any, to deliver now instead of at its next tick. */
export function nudgeMailLoop() {
  const loop = globalState.__crosswalkMailLoop;
  if (loop) runMailLoop(loop);
}

/**
 * Queues a message in the outbox and nudges the mail loop, which sends it
 * within moments when SMTP_URL is set. Without it the mail stays in the
 * outbox, for an admin (or a test) to read at /admin/outbox.
 */
export async function sendMail(message: { to: string; subject: string; text: string }) {
  await insertOutboxMessage({ toAddress: message.to, subject: message.subject, textBody: message.text });
  nudgeMailLoop();
}
