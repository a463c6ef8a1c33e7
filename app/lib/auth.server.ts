import { redirect } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import type { UserRole } from "~/db/schema";
import { checkMemberStanding } from "~/models/members.server";
import type { SessionUser } from "~/models/sessions.server";
import { findCredentialsByEmail } from "~/models/users.server";
import { hashPassword, verifyPassword } from "./password.server";
import { hasRole } from "./permissions";
import { getSessionUser } from "./session.server";
import { randomToken } from "./secrets.server";

export type LoginOutcome =
  | { ok: true; userId: number }
  | { ok: false; reason: "invalid-credentials" }
  | {
      ok: false;
      reason: "account-inactive";
      status: "suspended" | "banned";
      statusReason: string | null;
      suspendedUntil: Date | null;
    };

// Checked when the e-mail is unknown, so that a wrong address and a wrong
// password take about as long (no account enumeration by timing).
let dummyHash: Promise<string> | undefined;

/**
 * Checks an e-mail and password pair; a wrong pair says nothing about which
 * part was wrong. Only the right password learns why an account is barred.
 * A timed suspension that has run out is lifted here and the member let in.
 */
export async function verifyLogin(email: string, password: string): Promise<LoginOutcome> {
  const credentials = await findCredentialsByEmail(email);
  if (!credentials) {
    dummyHash ??= hashPassword(randomToken());
    await verifyPassword(await dummyHash, password);
    return { ok: false, reason: "invalid-credentials" };
  }
  if (!(await verifyPassword(credentials.passwordHash, password)))
    return { ok: false, reason: "invalid-credentials" };
  if (credentials.status !== "active") {
    const standing = await checkMemberStanding(credentials.id);
    if (!standing.active) {
      return {
        ok: false,
        reason: "account-inactive",
        status: standing.status,
        statusReason: standing.reason,
        suspendedUntil: standing.until,
      };
    }
  }
  return { ok: true, userId: credentials.id };
}

/**
 * The one authenticator. remix-auth 4 leaves sessions to the app: the log-in
 * action starts one with startSession() when the outcome is ok.
 */
export const authenticator = new Authenticator<LoginOutcome>().use(
  new FormStrategy(async ({ form }) => {
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    return verifyLogin(email, password);
  }),
  "form",
);

export function getOptionalUser(request: Request) {
  return getSessionUser(request);
}

function loginRedirect(request: Request) {
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  return redirect(`/login?${new URLSearchParams({ redirectTo })}`);
}

/** The signed-in member, or a redirect to the log-in page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getSessionUser(request);
  if (!user) throw loginRedirect(request);
  return user;
}

/** For pages only visitors need (join, log in): members go to the front page. */
export async function requireAnonymous(request: Request) {
  if (await getSessionUser(request)) throw redirect("/");
}

/** The signed-in member when their role is `role` or above; a visitor is sent to log in, a member gets 403. */
export async function requireRole(request: Request, role: UserRole): Promise<SessionUser> {
  const user = await requireUser(request);
  if (!hasRole(user, role)) {
    throw new Response(
      role === "admin" ? "Only admins may do that." : "Only moderators and admins may do that.",
      {
        status: 403,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      },
    );
  }
  return user;
}
