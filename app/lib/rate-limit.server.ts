import {
  clearBucket,
  hitBucket,
  refundBucket,
  type Bucket,
  type BucketLimit,
} from "~/models/rate-limits.server";

/** The SPEC's defaults. Counters live in Postgres, so every app process shares them. */
export const rateLimits = {
  failedLoginsPerAccount: { limit: 10, windowSeconds: 15 * 60 },
  failedLoginsPerIp: { limit: 30, windowSeconds: 15 * 60 },
  signupsPerIp: { limit: 10, windowSeconds: 60 * 60 },
  passwordResetsPerEmail: { limit: 3, windowSeconds: 60 * 60 },
  postsPerMember: { limit: 3, windowSeconds: 10 * 60 },
  commentsPerMember: { limit: 6, windowSeconds: 60 },
  flagsPerMember: { limit: 20, windowSeconds: 24 * 60 * 60 },
  introductionsPerMember: { limit: 5, windowSeconds: 24 * 60 * 60 },
  // Wrong current passwords on /settings (changing the password, deleting the account).
  passwordChecksPerMember: { limit: 10, windowSeconds: 15 * 60 },
} as const;

export type RateLimitName = keyof typeof rateLimits;

function bucketKey(name: RateLimitName, subject: string) {
  return `${name}:${subject.toLowerCase()}`;
}

/**
 * Counts an attempt before it is made, in one atomic upsert, so that many
 * attempts at once cannot all slip under the limit; `allowed` is false once
 * the count passes the limit. An attempt that turns out not to count (a form
 * refused for bad input, a successful log-in) is handed back with refundRateLimit.
 */
export async function consumeRateLimit(name: RateLimitName, subject: string) {
  const { limit, windowSeconds } = rateLimits[name];
  const bucket = await hitBucket(bucketKey(name, subject), windowSeconds);
  return { allowed: bucket.hits <= limit, bucket };
}

/**
 * The bucket an attempt counts against, for a write that counts it inside its
 * own transaction (createComment) and so saves a round trip and a commit.
 */
export function rateLimitBucket(name: RateLimitName, subject: string): BucketLimit {
  return { key: bucketKey(name, subject), ...rateLimits[name] };
}

export async function refundRateLimit(name: RateLimitName, subject: string) {
  await refundBucket(bucketKey(name, subject));
}

export async function resetRateLimit(name: RateLimitName, subject: string) {
  await clearBucket(bucketKey(name, subject));
}

/** Seconds until the window ends, for a Retry-After header. */
export function retryAfterSeconds(bucket: Bucket) {
  return Math.max(1, Math.ceil((bucket.resetAt.getTime() - Date.now()) / 1000));
}

/** "Too many … Please try again in 4 minutes." */
export function tooManyRequestsMessage(bucket: Bucket, what: string) {
  const seconds = retryAfterSeconds(bucket);
  if (seconds < 60) return `${what} Please try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  const minutes = Math.ceil(seconds / 60);
  return `${what} Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/** 429 with Retry-After and a plain sentence saying when to try again (an error page). */
export function tooManyRequests(bucket: Bucket, what: string): Response {
  return new Response(tooManyRequestsMessage(bucket, what), {
    status: 429,
    headers: {
      "Retry-After": String(retryAfterSeconds(bucket)),
      "Content-Type": "text/plain; charset=utf-8",
    },
  });
}
