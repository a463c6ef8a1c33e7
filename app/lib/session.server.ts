import { createCookie, redirect } from "@remix-run/node";
import {
  deleteSession,
  findSessionUser,
  insertSession,
  SESSION_ABSOLUTE_DAYS,
  type SessionUser,
} from "~/models/sessions.server";
import { readEnvironment } from "./env.server";
import { getSessionSecret, hashToken, randomToken } from "./secrets.server";
import { sessionCookieName } from "./session-cookie";

// The cookie carries a random token; the session is a row keyed by the token's
// hash, so ending a session (log-out, password change, ban) takes effect at once.

let sessionCookie: ReturnType<typeof createCookie> | undefined;

function getSessionCookie() {
  if (sessionCookie) return sessionCookie;
  const production = readEnvironment().NODE_ENV === "production";
  sessionCookie = createCookie(sessionCookieName(production), {
    httpOnly: true,
    sameSite: "lax",
    secure: production,
    path: "/",
    maxAge: SESSION_ABSOLUTE_DAYS * 24 * 60 * 60,
    secrets: [getSessionSecret()],
  });
  return sessionCookie;
}

async function readSessionToken(request: Request): Promise<string | null> {
  const header = request.headers.get("Cookie");
  if (!header) return null;
  const token: unknown = await getSessionCookie().parse(header);
  return typeof token === "string" && /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}

// A page's loaders (the root's and the route's) run on one request: they share one lookup.
// Only reads share it: an action may change who is signed in or what their header shows.
const sessionLookups = new WeakMap<Request, Promise<SessionUser | null>>();

/** The member whose live session the request carries, or null. */
export function getSessionUser(request: Request): Promise<SessionUser | null> {
  if (request.method !== "GET" && request.method !== "HEAD") return lookUpSessionUser(request);
  let lookup = sessionLookups.get(request);
  if (!lookup) {
    lookup = lookUpSessionUser(request);
    sessionLookups.set(request, lookup);
  }
  return lookup;
}

async function lookUpSessionUser(request: Request) {
  const token = await readSessionToken(request);
  return token ? ((await findSessionUser(hashToken(token))) ?? null) : null;
}

/**
 * Starts a new session for a member (a fresh id at every log-in, so a
 * planted cookie is worthless) and ends the one the request carried.
 * Returns the Set-Cookie header value.
 */
export async function startSession(
  request: Request,
  userId: number,
  clientIp: string | null,
): Promise<string> {
  const previous = await readSessionToken(request);
  if (previous) await deleteSession(hashToken(previous));
  const token = randomToken();
  await insertSession({
    idHash: hashToken(token),
    userId,
    ipAddress: clientIp,
    userAgent: request.headers.get("User-Agent"),
  });
  return getSessionCookie().serialize(token);
}

/** Ends the request's session; returns the Set-Cookie header value that clears the cookie. */
export async function endSession(request: Request): Promise<string> {
  const token = await readSessionToken(request);
  if (token) await deleteSession(hashToken(token));
  return getSessionCookie().serialize("", { maxAge: 0 });
}

/** The stored id of the request's session (to keep it while ending the others). */
export async function currentSessionIdHash(request: Request): Promise<string | undefined> {
  const token = await readSessionToken(request);
  return token ? hashToken(token) : undefined;
}

export async function redirectWithNewSession(
  request: Request,
  userId: number,
  clientIp: string | null,
  to: string,
) {
  return redirect(to, { headers: { "Set-Cookie": await startSession(request, userId, clientIp) } });
}
