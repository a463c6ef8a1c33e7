import crypto from "node:crypto";
import { EMAIL_TOPIC_LABELS, isEmailTopic, type EmailTopic } from "./email-topics";
import { readEnvironment } from "./env.server";
import { getSessionSecret } from "./secrets.server";

// An unsubscribe link must work from a mail client with no session, so it
// carries its own proof: an HMAC of the member and scope under the session
// secret. It does not expire (old mails keep working) and can only ever turn
// e-mail off, which is why that is all it is allowed to do. The scope is one
// topic, or a digest: "every topic this member gets in the daily digest".

export type UnsubscribeScope = EmailTopic | "daily-digest" | "weekly-digest";

export function isUnsubscribeScope(value: unknown): value is UnsubscribeScope {
  return value === "daily-digest" || value === "weekly-digest" || isEmailTopic(value);
}

/** The words the unsubscribe page and an e-mail's footer use for what a link stops. */
export function unsubscribeScopeLabel(scope: UnsubscribeScope) {
  if (scope === "daily-digest") return "anything in the daily digest";
  if (scope === "weekly-digest") return "anything in the weekly digest";
  return EMAIL_TOPIC_LABELS[scope].toLowerCase();
}

function signature(userId: number, scope: UnsubscribeScope) {
  return crypto
    .createHmac("sha256", getSessionSecret())
    .update(`unsubscribe:${userId}:${scope}`)
    .digest("base64url");
}

export function unsubscribeToken(userId: number, scope: UnsubscribeScope) {
  return `${userId}.${scope}.${signature(userId, scope)}`;
}

/** The member and scope a token stands for, or null when it was not made by us. */
export function verifyUnsubscribeScope(token: string): { userId: number; scope: UnsubscribeScope } | null {
  const [id, scope, given, ...rest] = token.split(".");
  if (rest.length > 0 || !id || !/^[1-9][0-9]{0,9}$/.test(id) || !isUnsubscribeScope(scope) || !given)
    return null;
  const userId = Number(id);
  const expected = Buffer.from(signature(userId, scope));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !crypto.timingSafeEqual(expected, actual)) return null;
  return { userId, scope };
}

export function unsubscribeUrl(userId: number, scope: UnsubscribeScope) {
  return `${readEnvironment().publicUrl}/unsubscribe?${new URLSearchParams({ token: unsubscribeToken(userId, scope) })}`;
}

/** RFC 2369 and RFC 8058 headers: mail clients show their own one-click "Unsubscribe". */
export function listUnsubscribeHeaders(userId: number, scope: UnsubscribeScope): Record<string, string> {
  return {
    "List-Unsubscribe": `<${unsubscribeUrl(userId, scope)}>`,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  };
}
