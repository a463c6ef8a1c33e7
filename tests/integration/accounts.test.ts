import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { passwordResetTokens, sessions, users } from "~/db/schema";
import { getDb } from "~/lib/db.server";
import { getSessionUser } from "~/lib/session.server";
import { action as forgotPasswordAction } from "~/routes/forgot-password";
import { action as joinAction } from "~/routes/join";
import { action as loginAction } from "~/routes/login";
import { action as logoutAction } from "~/routes/logout";
import { action as resetPasswordAction, loader as resetPasswordLoader } from "~/routes/reset-password";
import { action as settingsAction, loader as settingsLoader } from "~/routes/settings";
import { GOOD_PASSWORD, joinAs, logIn, newMemberFields } from "../support/accounts";
import { callLoader, cookieFrom, submitForm, thrownResponse } from "../support/requests";

const sessionUserFor = (cookie: string) =>
  getSessionUser(new Request("http://localhost/", { headers: { Cookie: cookie } }));

async function userRow(username: string) {
  const [row] = await getDb().select().from(users).where(eq(users.username, username));
  return row!;
}

async function outboxFor(address: string) {
  return getDb().execute(
    sql`select subject, text_body from outbox where to_address = ${address} order by id`,
  );
}

async function resetLinkFor(address: string) {
  const result = (await outboxFor(address)) as unknown;
  const rows = (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as {
    text_body: string;
  }[];
  const body = rows.at(-1)?.text_body ?? "";
  const link = /(http:\/\/\S+\/reset-password\?token=\S+)/.exec(body)?.[1];
  if (!link) throw new Error(`No reset link was sent to ${address}`);
  return { link, token: new URL(link).searchParams.get("token")!, count: rows.length };
}

describe("joining", () => {
  it("creates the account and a session row, and logs the new member in", async () => {
    const fields = newMemberFields({ displayName: "Rosa Delgado", libraryType: "public" });
    const answer = await submitForm(joinAction, "/join", fields);
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/");
    const setCookie = answer.headers.get("Set-Cookie") ?? "";
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);

    const user = await userRow(fields.username);
    expect(user).toMatchObject({ displayName: "Rosa Delgado", libraryType: "public", community: "Lakeside" });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const rows = await getDb().select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(await sessionUserFor(cookieFrom(answer))).toMatchObject({ username: fields.username });
  });

  it("refuses an e-mail address already used, in any letter case, keeping what was typed but the password", async () => {
    const existing = await joinAs();
    const fields = newMemberFields({ email: existing.fields.email.toUpperCase() });
    const answer = await submitForm<{ errors: Record<string, string[]>; values: Record<string, string> }>(
      joinAction,
      "/join",
      fields,
    );
    expect(answer.status).toBe(400);
    expect(answer.data?.errors.email?.[0]).toMatch(/already exists/);
    expect(answer.data?.values).toMatchObject({
      displayName: fields.displayName,
      username: fields.username,
      email: fields.email,
      community: fields.community,
    });
    expect(JSON.stringify(answer.data)).not.toContain(GOOD_PASSWORD);
    expect(await getDb().select().from(users).where(eq(users.username, fields.username))).toEqual([]);
  });

  it("refuses a username already taken", async () => {
    const existing = await joinAs();
    const answer = await submitForm<{ errors: Record<string, string[]> }>(
      joinAction,
      "/join",
      newMemberFields({ username: existing.fields.username }),
    );
    expect(answer.status).toBe(400);
    expect(answer.data?.errors.username).toEqual(["That username is taken. Try another."]);
  });

  it.each([
    ["password", "short", /at least 10 characters/],
    ["password", "x".repeat(129), /at most 128 characters/],
    ["password", "1234567890", /lists attackers try first/],
    ["password", "Password123", /lists attackers try first/],
    ["username", "No Spaces", /lowercase letters, digits/],
    ["username", "ab", /at least 3 characters/],
    ["email", "not-an-address", /e-mail address like/],
    ["displayName", "   ", /Enter the name/],
    ["libraryType", "bookmobile", /kind of library/],
  ])("explains a bad %s (%j) beside the field", async (field, value, message) => {
    const answer = await submitForm<{ errors: Record<string, string[]> }>(
      joinAction,
      "/join",
      newMemberFields({ [field]: value }),
    );
    expect(answer.status).toBe(400);
    expect(answer.data?.errors[field]?.join(" ")).toMatch(message);
  });

  it("accepts any characters in a password, kept exactly as typed", async () => {
    const password = "  ünïcödé 🦉 passphrase  ";
    const { fields } = await joinAs(newMemberFields({ password }));
    expect(await logIn(fields.email, password)).toBeTruthy();
    const trimmed = await submitForm(loginAction, "/login", {
      email: fields.email,
      password: password.trim(),
    });
    expect(trimmed.status).toBe(400);
  });

  it("logs in with a password that had a NUL character in it, as it was stored at sign-up", async () => {
    // Every form drops NUL (PostgreSQL cannot store it), the log-in form as well,
    // so the same keystrokes that joined also log in.
    const password = "tea\u0000 and biscuits at four";
    const { fields } = await joinAs(newMemberFields({ password }));
    expect(await logIn(fields.email, password)).toBeTruthy();
    expect(await logIn(`${fields.email}\u0000`, password.replace("\u0000", ""))).toBeTruthy();
  });

  it("stops the 11th sign-up from one address within the hour", async () => {
    const clientIp = "198.51.100.77";
    for (let index = 0; index < 10; index++) await joinAs(newMemberFields(), clientIp);
    const answer = await submitForm(joinAction, "/join", newMemberFields(), { clientIp });
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});

describe("probing for registered addresses", () => {
  it("counts a sign-up refused because the address is taken, so one network can test at most 10 addresses an hour", async () => {
    const clientIp = "198.51.100.78";
    const existing = await joinAs();
    for (let index = 0; index < 10; index++) {
      const probe = await submitForm(joinAction, "/join", newMemberFields({ email: existing.fields.email }), {
        clientIp,
      });
      expect(probe.status).toBe(400);
    }
    const answer = await submitForm(joinAction, "/join", newMemberFields(), { clientIp });
    expect(answer.status).toBe(429);
  });

  it("hands back the count of a form refused for a taken username or bad input, which says nothing about addresses", async () => {
    const clientIp = "198.51.100.79";
    const existing = await joinAs();
    for (let index = 0; index < 12; index++) {
      const fields = index % 2 === 0 ? { username: existing.fields.username } : { email: "not an address" };
      const refused = await submitForm(joinAction, "/join", newMemberFields(fields), { clientIp });
      expect(refused.status).toBe(400);
    }
    expect((await joinAs(newMemberFields(), clientIp)).cookie).toBeTruthy();
  });
});

describe("logging in", () => {
  it("answers a wrong password and an unknown e-mail identically", async () => {
    const { fields } = await joinAs();
    const wrongPassword = await submitForm(loginAction, "/login", {
      email: fields.email,
      password: "not the password",
    });
    const unknownEmail = await submitForm(loginAction, "/login", {
      email: "nobody-at-all@example.org",
      password: "not the password",
    });
    expect(wrongPassword.status).toBe(400);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.data).toEqual({
      ...wrongPassword.data,
      values: { ...(wrongPassword.data?.values as object), email: "nobody-at-all@example.org" },
    });
    expect(wrongPassword.data).toMatchObject({ formError: expect.stringMatching(/don't match an account/) });
  });

  it("matches the e-mail address in any letter case and starts a fresh session each time", async () => {
    const { fields, cookie: joinCookie } = await joinAs();
    const first = await logIn(fields.email.toUpperCase(), fields.password);
    const second = await logIn(fields.email, fields.password);
    expect(new Set([joinCookie, first, second]).size).toBe(3);
  });

  it("ends the session the browser already had when it logs in again (no fixation)", async () => {
    const { fields, cookie } = await joinAs();
    const answer = await submitForm(
      loginAction,
      "/login",
      { email: fields.email, password: fields.password },
      { cookie },
    );
    expect(answer.status).toBe(302);
    expect(await sessionUserFor(cookie)).toBeNull();
    expect(await sessionUserFor(cookieFrom(answer))).not.toBeNull();
  });

  it("answers the 11th failed log-in on one account within 15 minutes with 429 and Retry-After", async () => {
    const { fields } = await joinAs();
    for (let attempt = 1; attempt <= 10; attempt++) {
      // Spread over addresses so that only the per-account limit is in play.
      const answer = await submitForm(
        loginAction,
        "/login",
        { email: fields.email, password: `wrong guess ${attempt}` },
        { clientIp: `192.0.2.${attempt}` },
      );
      expect(answer.status, `attempt ${attempt}`).toBe(400);
    }
    const blocked = await submitForm(
      loginAction,
      "/login",
      { email: fields.email, password: fields.password },
      { clientIp: "192.0.2.99" },
    );
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get("Retry-After"))).toBeLessThanOrEqual(15 * 60);
    expect(blocked.text).toMatch(/Too many failed log-ins\. Please try again in \d+ minutes?\./);
  });

  it("answers the 31st failed log-in from one address with 429, whatever the account", async () => {
    const clientIp = "198.51.100.31";
    for (let attempt = 1; attempt <= 30; attempt++) {
      const answer = await submitForm(
        loginAction,
        "/login",
        { email: `guess-${attempt}@example.org`, password: "password guess" },
        { clientIp },
      );
      expect(answer.status, `attempt ${attempt}`).toBe(400);
    }
    const blocked = await submitForm(
      loginAction,
      "/login",
      { email: "another@example.org", password: "x" },
      { clientIp },
    );
    expect(blocked.status).toBe(429);
  });

  it("never redirects to another site after logging in", async () => {
    const { fields } = await joinAs();
    for (const redirectTo of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "javascript:alert(1)",
    ]) {
      const answer = await submitForm(loginAction, "/login", {
        email: fields.email,
        password: fields.password,
        redirectTo,
      });
      expect(answer.status).toBe(302);
      expect(answer.location, redirectTo).toBe("/");
    }
    const local = await submitForm(loginAction, "/login", {
      email: fields.email,
      password: fields.password,
      redirectTo: "/settings",
    });
    expect(local.location).toBe("/settings");
  });

  it("refuses a suspended member, and their existing session stops working", async () => {
    const { fields, cookie } = await joinAs();
    await getDb().update(users).set({ status: "suspended" }).where(eq(users.username, fields.username));
    expect(await sessionUserFor(cookie)).toBeNull();
    const answer = await submitForm(loginAction, "/login", {
      email: fields.email,
      password: fields.password,
    });
    expect(answer.status).toBe(403);
    expect(answer.data).toMatchObject({ formError: expect.stringMatching(/suspended/) });
  });
});

describe("sessions", () => {
  it("log-out deletes the session, so a copy of the old cookie is refused", async () => {
    const { cookie } = await joinAs();
    const answer = await submitForm(logoutAction, "/logout", {}, { cookie });
    expect(answer.status).toBe(302);
    expect(answer.headers.get("Set-Cookie")).toMatch(/Max-Age=0/);
    expect(await sessionUserFor(cookie)).toBeNull();
    const settings = await thrownResponse(callLoader(settingsLoader, "/settings", {}, { cookie }));
    expect(settings.status).toBe(302);
  });

  it("sends a visitor who opens /settings to log in, and back afterwards", async () => {
    const response = await thrownResponse(callLoader(settingsLoader, "/settings?tab=1"));
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fsettings%3Ftab%3D1");
  });

  it("refuses a forged or tampered cookie", async () => {
    const { cookie } = await joinAs();
    const [name, value] = cookie.split("=") as [string, string];
    const tampered = `${name}=${value.slice(0, -3)}abc`;
    expect(await sessionUserFor(tampered)).toBeNull();
    expect(await sessionUserFor(`${name}=not-signed-at-all`)).toBeNull();
  });

  it("ends a session that has expired", async () => {
    const { fields, cookie } = await joinAs();
    const user = await userRow(fields.username);
    await getDb()
      .update(sessions)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(sessions.userId, user.id));
    expect(await sessionUserFor(cookie)).toBeNull();
  });

  it("ends a session left idle for more than 14 days", async () => {
    const { fields, cookie } = await joinAs();
    const user = await userRow(fields.username);
    await getDb()
      .update(sessions)
      .set({ lastSeenAt: sql`now() - interval '15 days'` })
      .where(eq(sessions.userId, user.id));
    expect(await sessionUserFor(cookie)).toBeNull();
  });
});

describe("settings", () => {
  it("shows the member their own e-mail address and saves profile changes", async () => {
    const { fields, cookie } = await joinAs();
    const page = await callLoader(settingsLoader, "/settings", {}, { cookie });
    expect(page.account.email).toBe(fields.email);

    const answer = await submitForm(
      settingsAction,
      "/settings",
      {
        intent: "profile",
        displayName: "Maria O.",
        libraryType: "school",
        community: "Riverside USD",
        bio: "Elementary librarian.",
      },
      { cookie },
    );
    expect(answer.status).toBe(302);
    expect(answer.location).toBe("/settings?saved=profile");
    expect(await userRow(fields.username)).toMatchObject({
      displayName: "Maria O.",
      libraryType: "school",
      community: "Riverside USD",
      bio: "Elementary librarian.",
    });
  });

  it("keeps what was typed when the profile is not valid", async () => {
    const { cookie } = await joinAs();
    const bio = "b".repeat(2001);
    const answer = await submitForm<{ errors: Record<string, string[]>; values: Record<string, string> }>(
      settingsAction,
      "/settings",
      { intent: "profile", displayName: "Still me", libraryType: "school", community: "", bio },
      { cookie },
    );
    expect(answer.status).toBe(400);
    expect(answer.data?.errors.bio?.[0]).toMatch(/2,000 characters/);
    expect(answer.data?.values).toMatchObject({ displayName: "Still me", bio });
  });

  it("changing the password needs the current one, and ends every other session but this one", async () => {
    const { fields, cookie: here } = await joinAs();
    const elsewhere = await logIn(fields.email, fields.password);

    const wrong = await submitForm<{ errors: Record<string, string[]> }>(
      settingsAction,
      "/settings",
      { intent: "password", currentPassword: "not my password", newPassword: "a brand new passphrase" },
      { cookie: here },
    );
    expect(wrong.status).toBe(400);
    expect(wrong.data?.errors.currentPassword).toEqual(["That is not your current password."]);

    const changed = await submitForm(
      settingsAction,
      "/settings",
      { intent: "password", currentPassword: fields.password, newPassword: "a brand new passphrase" },
      { cookie: here },
    );
    expect(changed.status).toBe(302);
    expect(await sessionUserFor(elsewhere)).toBeNull();
    expect(await sessionUserFor(here)).not.toBeNull();
    expect(await logIn(fields.email, "a brand new passphrase")).toBeTruthy();
  });

  it("answers 400 for an unknown intent", async () => {
    const { cookie } = await joinAs();
    const answer = await submitForm(settingsAction, "/settings", { intent: "delete-everything" }, { cookie });
    expect(answer.status).toBe(400);
  });
});

describe("password reset", () => {
  it("answers the same for a known and an unknown address, and only mails the account's owner", async () => {
    const { fields } = await joinAs();
    const known = await submitForm(forgotPasswordAction, "/forgot-password", { email: fields.email });
    const unknown = await submitForm(forgotPasswordAction, "/forgot-password", {
      email: "nobody-here@example.org",
    });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(Object.keys(known.data ?? {})).toEqual(Object.keys(unknown.data ?? {}));
    expect((await resetLinkFor(fields.email)).count).toBe(1);
    const none = (await outboxFor("nobody-here@example.org")) as unknown;
    expect(Array.isArray(none) ? none : (none as { rows: unknown[] }).rows).toEqual([]);
  });

  it("sets a new password with a single-use link and ends every session", async () => {
    const { fields, cookie } = await joinAs();
    await submitForm(forgotPasswordAction, "/forgot-password", { email: fields.email });
    const { token } = await resetLinkFor(fields.email);

    expect((await callLoader(resetPasswordLoader, `/reset-password?token=${token}`)).token).toBe(token);
    const reset = await submitForm(resetPasswordAction, "/reset-password", {
      token,
      password: "the river in winter",
    });
    expect(reset.status).toBe(302);
    expect(reset.location).toBe("/login?reset=1");
    expect(await sessionUserFor(cookie)).toBeNull();
    expect(await logIn(fields.email, "the river in winter")).toBeTruthy();

    const again = await submitForm<{ formError: string }>(resetPasswordAction, "/reset-password", {
      token,
      password: "another try at this",
    });
    expect(again.status).toBe(400);
    expect(again.data?.formError).toMatch(/expired or has already been used/);
    expect((await callLoader(resetPasswordLoader, `/reset-password?token=${token}`)).token).toBeNull();
  });

  it("stores only a hash of the token, and refuses a link past its hour", async () => {
    const { fields } = await joinAs();
    await submitForm(forgotPasswordAction, "/forgot-password", { email: fields.email });
    const { token } = await resetLinkFor(fields.email);
    const stored = await getDb()
      .select({ tokenHash: passwordResetTokens.tokenHash })
      .from(passwordResetTokens);
    expect(stored.map((row) => row.tokenHash)).not.toContain(token);

    await getDb()
      .update(passwordResetTokens)
      .set({ expiresAt: sql`now() - interval '1 second'` });
    const answer = await submitForm(resetPasswordAction, "/reset-password", {
      token,
      password: "too late for this one",
    });
    expect(answer.status).toBe(400);
    expect(await logIn(fields.email, fields.password)).toBeTruthy();
  });

  it("sends at most 3 reset e-mails to an address per hour, answering the same after that", async () => {
    const { fields } = await joinAs();
    for (let request = 1; request <= 5; request++) {
      const answer = await submitForm(forgotPasswordAction, "/forgot-password", { email: fields.email });
      expect(answer.status).toBe(200);
    }
    expect((await resetLinkFor(fields.email)).count).toBe(3);
  });

  it("keeps the new password's rules on the reset form", async () => {
    const { fields } = await joinAs();
    await submitForm(forgotPasswordAction, "/forgot-password", { email: fields.email });
    const { token } = await resetLinkFor(fields.email);
    const answer = await submitForm<{ errors: Record<string, string[]> }>(
      resetPasswordAction,
      "/reset-password",
      {
        token,
        password: "short",
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.data?.errors.password?.[0]).toMatch(/at least 10/);
  });
});
