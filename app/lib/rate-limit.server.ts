import { clearBucket, hitBucket, peekBucket, type Bucket } from "~/models/rate-limits.server";

/** The SPEC's defaults. Counters live in Postgres, so every app process shares them. */
export const rateLimits = {
  failedLoginsPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  failedLoginsPerIp: { limit: 30, windowSeconds: 15 * 60 },
  signupsPerIp: { limit: 10, windowSeconds: 60 * 60 },
  passwordResetsPerEmail: { limit: 3, windowSeconds: 60 * 60 },
} as const;

export type RateLimitName = keyof typeof rateLimits;

function bucketKey(name: RateLimitName, subject: string) {
  return `${name}:${subject.toLowerCase()}`;
}

/** Counts an attempt; true while the count is within the limit. */
export async function consumeRateLimit(name: RateLimitName, subject: string) {
  const { limit, windowSeconds } = rateLimits[name];
  const bucket = await hitBucket(bucketKey(name, subject), windowSeconds);
  return { allowed: bucket.hits <= limit, bucket };
}

/** Whether the limit is already reached, without counting anything. */
export async function isRateLimited(name: RateLimitName, subject: string) {
  const bucket = await peekBucket(bucketKey(name, subject));
  return { limited: bucket.hits >= rateLimits[name].limit, bucket };
}

export async function resetRateLimit(name: RateLimitName, subject: string) {
  await clearBucket(bucketKey(name, subject));
}

/** 429 with Retry-After and a plain sentence saying when to try again. */
export function tooManyRequests(bucket: Bucket, what: string): Response {
  const seconds = Math.max(1, Math.ceil((bucket.resetAt.getTime() - Date.now()) / 1000));
  const minutes = Math.ceil(seconds / 60);
  return new Response(`${what} Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, {
    status: 429,
    headers: { "Retry-After": String(seconds), "Content-Type": "text/plain; charset=utf-8" },
  });
}
