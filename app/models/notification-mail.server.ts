import { sql } from "drizzle-orm";
import { executeRows, getDb, type Transaction } from "~/lib/db.server";
import {
  DEFAULT_EMAIL_FREQUENCY,
  EMAIL_TOPIC_LABELS,
  EMAIL_FREQUENCY_LABELS,
  TOPIC_OF_KIND,
  type EmailFrequency,
  type EmailTopic,
  type NotificationKind,
} from "~/lib/email-topics";
import { readEnvironment } from "~/lib/env.server";
import { plainExcerpt } from "~/lib/text";
import {
  listUnsubscribeHeaders,
  unsubscribeScopeLabel,
  unsubscribeUrl,
  type UnsubscribeScope,
} from "~/lib/unsubscribe.server";
import { notificationHref } from "./notifications.server";
import { insertOutboxMessage } from "./outbox.server";

// Turns notification rows into mail in the outbox, by each member's choice
// per topic: one message per notification for "immediately", one digest per
// member for everything waiting in "daily" or "weekly" once the oldest of it
// has waited that long (so a digest comes at most once per period and nothing
// waits longer than one), nothing for "never". A row is marked e-mailed in the
// transaction that queues its mail, and rows are claimed with SKIP LOCKED, so
// two app processes running this at once never queue the same notice twice.
// Notices the member has already read on the site, and those of members who
// are suspended or banned, are marked without mail.

const DIGEST_PERIOD: Partial<Record<EmailFrequency, string>> = { daily: "1 day", weekly: "7 days" };
const BATCH_SIZE = 500;

type DueRow = { id: number; frequency: EmailFrequency };

type ClaimedRow = {
  id: number;
  user_id: number;
  kind: NotificationKind;
  message: string;
  post_id: number | null;
  comment_id: number | null;
  read_at: Date | string | null;
  email: string;
  display_name: string;
  status: string;
  post_title: string | null;
  post_slug: string | null;
  comment_body: string | null;
  introduction_id: number | null;
  introduction_message: string | null;
};

export type QueueResult = { immediate: number; digests: number; skipped: number };

/** Queues the mail of every notification that is due; answers what it did. */
export async function queueNotificationEmails(): Promise<QueueResult> {
  const total: QueueResult = { immediate: 0, digests: 0, skipped: 0 };
  for (;;) {
    const due = await findDueNotifications();
    if (due.length === 0) return total;
    const result = await getDb().transaction((tx) => queueClaimed(tx, due));
    total.immediate += result.immediate;
    total.digests += result.digests;
    total.skipped += result.skipped;
    if (due.length < BATCH_SIZE) return total;
  }
}

function topicCase() {
  const branches = Object.entries(TOPIC_OF_KIND).map(([kind, topic]) => sql`when ${kind} then ${topic}`);
  return sql`(case n.kind::text ${sql.join(branches, sql` `)} end)`;
}

function defaultFrequencyCase(topic: ReturnType<typeof topicCase>) {
  const branches = Object.entries(DEFAULT_EMAIL_FREQUENCY).map(
    ([name, frequency]) => sql`when ${name} then ${frequency}`,
  );
  return sql`(case ${topic} ${sql.join(branches, sql` `)} end)`;
}

async function findDueNotifications(): Promise<DueRow[]> {
  const topic = topicCase();
  // The window needs the whole waiting group, so this read takes no locks;
  // the claim below locks what it can and skips what another process holds.
  return executeRows<DueRow>(sql`
    with waiting as (
      select n.id, n.user_id, n.created_at, n.read_at, u.status,
        coalesce(ep.frequency::text, ${defaultFrequencyCase(topic)}) as frequency
      from notifications n
      join users u on u.id = n.user_id
      left join email_preferences ep on ep.user_id = n.user_id and ep.topic::text = ${topic}
      where n.emailed_at is null
    ), grouped as (
      select *, min(created_at) filter (where read_at is null)
        over (partition by user_id, frequency) as oldest_unread
      from waiting
    )
    select id, frequency from grouped
    where read_at is not null
      or status <> 'active'
      or frequency in ('immediately', 'never')
      or (frequency = 'daily' and oldest_unread <= now() - ${DIGEST_PERIOD.daily}::interval)
      or (frequency = 'weekly' and oldest_unread <= now() - ${DIGEST_PERIOD.weekly}::interval)
    order by id
    limit ${BATCH_SIZE}
  `);
}

async function queueClaimed(tx: Transaction, due: DueRow[]): Promise<QueueResult> {
  const frequencyOf = new Map(due.map((row) => [row.id, row.frequency]));
  const ids = sql.join(
    due.map((row) => sql`${row.id}`),
    sql`, `,
  );
  const claimed = await executeRows<ClaimedRow>(
    sql`
      select n.id, n.user_id, n.kind, n.message, n.post_id, n.comment_id, n.read_at,
        u.email, u.display_name, u.status, p.title as post_title, p.slug as post_slug,
        c.body_md as comment_body, n.introduction_id, i.message as introduction_message
      from notifications n
      join users u on u.id = n.user_id
      left join posts p on p.id = n.post_id
      left join comments c on c.id = n.comment_id and c.status = 'approved' and c.deleted_at is null
      left join introductions i on i.id = n.introduction_id
      where n.id in (${ids}) and n.emailed_at is null
      order by n.created_at, n.id
      for update of n skip locked
    `,
    tx,
  );
  const result: QueueResult = { immediate: 0, digests: 0, skipped: 0 };
  const digests = new Map<string, ClaimedRow[]>();
  for (const row of claimed) {
    const frequency = frequencyOf.get(row.id) ?? "never";
    if (row.read_at !== null || row.status !== "active" || frequency === "never") {
      result.skipped += 1;
    } else if (frequency === "immediately") {
      await insertOutboxMessage(immediateMail(row), tx);
      result.immediate += 1;
    } else {
      const key = `${row.user_id}:${frequency}`;
      digests.set(key, [...(digests.get(key) ?? []), row]);
    }
  }
  for (const [key, rows] of digests) {
    await insertOutboxMessage(digestMail(rows, key.endsWith(":daily") ? "daily" : "weekly"), tx);
    result.digests += 1;
  }
  if (claimed.length > 0) {
    await tx.execute(sql`
      update notifications set emailed_at = now()
      where id in (${sql.join(
        claimed.map((row) => sql`${row.id}`),
        sql`, `,
      )})
    `);
  }
  return result;
}

// ---------------------------------------------------------------------------
// The messages

const siteUrl = (path: string) => `${readEnvironment().publicUrl}${path}`;

function escapeHtml(text: string) {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

const withoutFinalStop = (message: string) => message.replace(/\.$/, "");

function linkOf(row: ClaimedRow) {
  const href = notificationHref(row.post_id, row.post_slug, row.comment_id, row.introduction_id);
  return href ? siteUrl(href) : siteUrl("/notifications");
}

type Footer = { text: string; html: string };

function footer(userId: number, scopes: UnsubscribeScope[], why: string): Footer {
  const settings = siteUrl("/settings");
  const links = scopes.map((scope) => ({
    label: unsubscribeScopeLabel(scope),
    url: unsubscribeUrl(userId, scope),
  }));
  return {
    text: [
      "--",
      why,
      `Choose what Crosswalk e-mails you, and how often: ${settings}`,
      ...links.map((link) => `Stop e-mails about ${link.label}: ${link.url}`),
    ].join("\n"),
    html: [
      `<hr><p style="color:#555;font-size:13px">${escapeHtml(why)}<br>`,
      `<a href="${escapeHtml(settings)}">Choose what Crosswalk e-mails you, and how often</a>`,
      ...links.map(
        (link) => `<br><a href="${escapeHtml(link.url)}">Stop e-mails about ${escapeHtml(link.label)}</a>`,
      ),
      "</p>",
    ].join(""),
  };
}

function immediateMail(row: ClaimedRow) {
  const topic: EmailTopic = TOPIC_OF_KIND[row.kind];
  const link = linkOf(row);
  // An introduction is quoted whole (it is at most 1,000 characters of plain text).
  const excerpt = row.introduction_message ?? (row.comment_body ? plainExcerpt(row.comment_body, 600) : "");
  const end = footer(
    row.user_id,
    [topic],
    `You get this because "${EMAIL_TOPIC_LABELS[topic]}" is set to ${EMAIL_FREQUENCY_LABELS.immediately.toLowerCase()} in your settings.`,
  );
  return {
    toAddress: row.email,
    subject: withoutFinalStop(row.message),
    textBody: [
      `Hello ${row.display_name},`,
      "",
      row.message,
      ...(excerpt ? ["", ...excerpt.split("\n").map((line) => `> ${line}`)] : []),
      "",
      `Read it on Crosswalk: ${link}`,
      "",
      end.text,
    ].join("\n"),
    htmlBody: [
      `<p>Hello ${escapeHtml(row.display_name)},</p>`,
      `<p>${escapeHtml(row.message)}</p>`,
      excerpt
        ? `<blockquote style="border-left:3px solid #ccc;margin:0;padding-left:12px;white-space:pre-wrap">${escapeHtml(excerpt)}</blockquote>`
        : "",
      `<p><a href="${escapeHtml(link)}">Read it on Crosswalk</a></p>`,
      end.html,
    ].join("\n"),
    headers: listUnsubscribeHeaders(row.user_id, topic),
  };
}

/** One digest: the member's waiting notices grouped by thread, in the order they happened. */
function digestMail(rows: ClaimedRow[], frequency: "daily" | "weekly") {
  const first = rows[0]!;
  const groups = new Map<string, { title: string; rows: ClaimedRow[] }>();
  for (const row of rows) {
    const key = row.post_id === null ? "account" : `post:${row.post_id}`;
    const title = row.post_title ?? "About your account";
    groups.set(key, { title, rows: [...(groups.get(key)?.rows ?? []), row] });
  }
  const count = rows.length;
  const scope: UnsubscribeScope = frequency === "daily" ? "daily-digest" : "weekly-digest";
  const end = footer(
    first.user_id,
    [scope],
    `You get this ${frequency} digest because some of your notification settings are set to "${EMAIL_FREQUENCY_LABELS[frequency]}".`,
  );
  const text: string[] = [`Hello ${first.display_name},`, "", `Here is what happened on Crosswalk:`];
  const html: string[] = [
    `<p>Hello ${escapeHtml(first.display_name)},</p>`,
    `<p>Here is what happened on Crosswalk:</p>`,
  ];
  for (const group of groups.values()) {
    text.push("", group.title);
    html.push(`<h2 style="font-size:16px">${escapeHtml(group.title)}</h2><ul>`);
    for (const row of group.rows) {
      text.push(`- ${row.message} ${linkOf(row)}`);
      html.push(`<li><a href="${escapeHtml(linkOf(row))}">${escapeHtml(row.message)}</a></li>`);
    }
    html.push("</ul>");
  }
  text.push("", `All your notifications: ${siteUrl("/notifications")}`, "", end.text);
  html.push(`<p><a href="${escapeHtml(siteUrl("/notifications"))}">All your notifications</a></p>`, end.html);
  return {
    toAddress: first.email,
    subject: `Your ${frequency} Crosswalk digest: ${count} ${count === 1 ? "notification" : "notifications"}`,
    textBody: text.join("\n"),
    htmlBody: html.join("\n"),
    headers: listUnsubscribeHeaders(first.user_id, scope),
  };
}
