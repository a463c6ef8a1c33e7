import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { expect, test } from "@playwright/test";
import { demoMembers, DEMO_PASSWORD } from "../../app/db/demo-content";
import { copySeededDataDir, makeDataDir, runAppToExit, startApp } from "./app-server";

// The server process itself: its lock on the embedded database, its shutdown,
// its headers and limits. Each test runs its own server on its own data, so
// they spread over both workers rather than queueing in one.
test.describe.configure({ mode: "parallel" });

test.describe("the server process", () => {
  let dataDir: string;
  test.beforeEach(() => {
    dataDir = makeDataDir();
  });
  test.afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("a second server on the same data folder refuses at once, naming the folder and the pid", async () => {
    const first = await startApp({ DATA_DIR: copySeededDataDir(dataDir), DATABASE_URL: "" });
    try {
      const second = await runAppToExit({ DATA_DIR: dataDir, DATABASE_URL: "" });
      expect(second.code).toBe(1);
      expect(second.output).toContain(
        `The embedded database in ${dataDir} is in use by another Crosswalk process`,
      );
      const holderPid = Number(/\(pid (\d+)\)/.exec(second.output)?.[1]);
      expect(fs.readFileSync(path.join(dataDir, "crosswalk.lock"), "utf8").trim()).toBe(String(holderPid));
      const health = await fetch(`${first.url}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      await first.stop();
    }
  });

  test("SIGTERM ends the server cleanly within seconds, and the data is intact on restart", async () => {
    const first = await startApp({ DATA_DIR: dataDir, DATABASE_URL: "" });
    const before = await (await fetch(`${first.url}/`)).text();
    expect(before).toContain("Latest discussions");

    const stoppedAt = Date.now();
    expect(await first.stop()).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(5_000);
    expect(fs.existsSync(path.join(dataDir, "crosswalk.lock"))).toBe(false);

    const second = await startApp({ DATA_DIR: dataDir, DATABASE_URL: "" });
    try {
      expect(second.output()).not.toContain("demo content seeded");
      const page = await (await fetch(`${second.url}/`)).text();
      expect(page.match(/<article/g)?.length).toBe(13);
    } finally {
      await second.stop();
    }
  });

  test("a stale lock left by a dead process is taken over", async () => {
    copySeededDataDir(dataDir);
    fs.writeFileSync(path.join(dataDir, "crosswalk.lock"), "2147483646\n");
    const app = await startApp({ DATA_DIR: dataDir, DATABASE_URL: "" });
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(await app.stop()).toBe(0);
  });

  test("sends security headers with a per-request script nonce, and refuses bodies over 1 MB", async () => {
    const app = await startApp({ DATA_DIR: dataDir, DATABASE_URL: "", DEMO: "0" });
    try {
      // A visitor's page is plain HTML (decision 023): the app's scripts, with their nonce, are a member's.
      const visitorResponse = await fetch(`${app.url}/`);
      const visitorPage = await visitorResponse.text();
      expect(visitorPage).not.toMatch(/<script\b/);
      // The same page for every visitor: a proxy may keep it and ask again with its validator.
      expect(visitorResponse.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
      const etag = visitorResponse.headers.get("etag");
      expect(etag).toMatch(/^W\/"[\w-]+"$/);
      const revalidated = await fetch(`${app.url}/`, { headers: { "If-None-Match": etag! } });
      expect(revalidated.status).toBe(304);
      expect(await revalidated.text()).toBe("");
      const joined = await fetch(`${app.url}/join`, {
        method: "POST",
        redirect: "manual",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
        body: new URLSearchParams({
          displayName: "Nonce Checker",
          username: "nonce-checker",
          email: "nonce-checker@example.org",
          password: "a long and unusual passphrase 42",
          libraryType: "school",
          community: "",
        }).toString(),
      });
      expect(joined.status).toBe(302);
      const cookie = (joined.headers.get("set-cookie") ?? "").split(";")[0]!;
      expect(cookie).toContain("session");
      const nonces = [];
      for (let index = 0; index < 2; index++) {
        const response = await fetch(`${app.url}/`, { headers: { Cookie: cookie, "If-None-Match": etag! } });
        // A member's page is theirs alone: never shared, never answered from a visitor's validator.
        expect(response.status).toBe(200);
        expect(response.headers.get("cache-control")).toBe("private, no-cache");
        expect(response.headers.get("etag")).toBeNull();
        const policy = response.headers.get("content-security-policy") ?? "";
        expect(policy).toContain("object-src 'none'");
        expect(policy).toContain("base-uri 'none'");
        expect(policy).toContain("frame-ancestors 'none'");
        expect(response.headers.get("x-content-type-options")).toBe("nosniff");
        expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
        expect(response.headers.get("strict-transport-security")).toContain("max-age=");
        expect(response.headers.get("x-request-id")).toMatch(/^[\w-]+$/);
        const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
        expect(nonce).toBeTruthy();
        const html = await response.text();
        const scripts = html.match(/<script\b[^>]*>/g) ?? [];
        expect(scripts.length).toBeGreaterThan(0);
        for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
        nonces.push(nonce);
      }
      expect(nonces[0]).not.toBe(nonces[1]);

      const tooLarge = await fetch(`${app.url}/`, {
        method: "POST",
        body: "x".repeat(1024 * 1024 + 1),
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      expect(tooLarge.status).toBe(413);
    } finally {
      await app.stop();
    }
  });

  test("past its queue the server answers 503 with a page saying so, at once, and serves again when the load stops", async () => {
    // One request at a time and one waiting: a burst of 20 must overflow.
    const app = await startApp({
      DATA_DIR: copySeededDataDir(dataDir),
      DATABASE_URL: "",
      MAX_ACTIVE_REQUESTS: "1",
      MAX_QUEUED_REQUESTS: "1",
    });
    try {
      // Each to its own address, so that none is answered from the visitors' kept pages.
      const burst = await Promise.all(
        Array.from({ length: 20 }, async (_, index) => {
          const response = await fetch(`${app.url}/?burst=${index}`, { headers: { Accept: "text/html" } });
          return { response, body: await response.text() };
        }),
      );
      expect(burst.every(({ response }) => [200, 503].includes(response.status))).toBe(true);
      const refused = burst.filter(({ response }) => response.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      expect(burst.some(({ response }) => response.status === 200)).toBe(true);
      const busy = refused[0]!;
      expect(busy.response.headers.get("retry-after")).toBe("5");
      expect(busy.response.headers.get("content-type")).toContain("text/html");
      expect(busy.response.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(busy.body).toContain("<h1>Crosswalk is busy</h1>");
      expect(busy.body).toContain("Nothing you sent was saved");

      // The health check is never queued behind pages.
      expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
      for (let index = 0; index < 3; index++) {
        expect((await fetch(`${app.url}/`)).status).toBe(200);
      }
    } finally {
      await app.stop();
    }
  });

  test("no public page or feed holds a member's e-mail address or lacks the security headers, and the log holds no password, cookie or reset token", async () => {
    test.setTimeout(180_000);
    // Every request logged, so a secret in any of them would show.
    const app = await startApp({ DATA_DIR: copySeededDataDir(dataDir), DATABASE_URL: "", LOG_LEVEL: "info" });
    try {
      const post = (path: string, fields: Record<string, string>, cookie?: string) =>
        fetch(`${app.url}${path}`, {
          method: "POST",
          redirect: "manual",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            Origin: app.url,
            ...(cookie ? { Cookie: cookie } : {}),
          },
          body: new URLSearchParams(fields),
        });
      const cookieOf = (response: Response) => (response.headers.get("set-cookie") ?? "").split(";")[0]!;

      // A member's whole session: joining, a wrong password, logging in, writing, a reset and logging out.
      const password = "a passphrase only this test knows 7";
      const email = "privacy-crawl@example.net";
      const joined = await post("/join", {
        displayName: "Privacy Crawler",
        username: "privacy-crawler",
        email,
        password,
        libraryType: "public",
        community: "",
      });
      expect(joined.status).toBe(302);
      const secrets = [password, cookieOf(joined).split("=")[1]!];
      expect((await post("/login", { email, password: "not the password at all" })).status).toBe(400);
      const loggedIn = await post("/login", { email, password });
      expect(loggedIn.status).toBe(302);
      const cookie = cookieOf(loggedIn);
      secrets.push(cookie.split("=")[1]!);
      expect((await post("/forgot-password", { email })).status).toBe(200);
      const admin = cookieOf(await post("/login", { email: demoMembers[0]!.email, password: DEMO_PASSWORD }));
      const outbox = await (await fetch(`${app.url}/admin/outbox`, { headers: { Cookie: admin } })).text();
      const token = /reset-password\?token=([\w-]+)/.exec(outbox)?.[1];
      expect(token).toBeTruthy();
      secrets.push(token!);
      expect((await fetch(`${app.url}/reset-password?token=${token}`)).status).toBe(200);
      expect((await post("/logout", {}, cookie)).status).toBe(302);

      // Then everything a visitor can reach, from the home page, the sitemap and the feed.
      const addresses = [email, ...demoMembers.map((member) => member.email)];
      const queue = [
        "/",
        "/sitemap.xml",
        "/feed.xml",
        "/tags",
        "/stories",
        "/booklists",
        "/search?q=library",
      ];
      const seen = new Set(queue);
      const leaks: string[] = [];
      while (queue.length > 0 && seen.size < 400) {
        const path = queue.shift()!;
        const response = await fetch(`${app.url}${path}`, { redirect: "manual" });
        const body = (await response.text()).toLowerCase();
        for (const address of addresses) if (body.includes(address)) leaks.push(`${address} on ${path}`);
        if (response.headers.get("content-type")?.startsWith("text/html")) {
          const policy = response.headers.get("content-security-policy") ?? "";
          const headersRight =
            policy.includes("frame-ancestors 'none'") &&
            policy.includes("object-src 'none'") &&
            !policy.includes("unsafe-inline") &&
            response.headers.get("x-content-type-options") === "nosniff" &&
            response.headers.get("referrer-policy") === "strict-origin-when-cross-origin" &&
            (response.headers.get("strict-transport-security") ?? "").includes("max-age=");
          if (!headersRight) leaks.push(`security headers missing on ${path}`);
        }
        for (const [, link] of body.matchAll(/(?:href="|<loc>)(?:http:\/\/localhost:\d+)?(\/[^"<#]*)/g)) {
          const next = link!.replace(/&amp;/g, "&");
          if (!seen.has(next) && !next.startsWith("/assets/")) {
            seen.add(next);
            queue.push(next);
          }
        }
      }
      expect(seen.size, "pages crawled").toBeGreaterThan(50);
      expect(leaks).toEqual([]);

      const log = app.output();
      expect(log).toContain('"url":"/reset-password?token=[redacted]"');
      for (const secret of secrets) expect(log, "a secret in the log").not.toContain(secret);
      expect(log).not.toMatch(/crosswalk-session=/);
    } finally {
      await app.stop();
    }
  });

  test("every route with an action refuses a form from another site with 403, for a signed-in admin too, and nothing changes", async () => {
    test.setTimeout(180_000);
    // Each route file with an action, at a real address of the demo forum.
    const routesFolder = path.resolve(import.meta.dirname, "../../app/routes");
    const paths = fs
      .readdirSync(routesFolder)
      .filter((file) =>
        /export (async )?function action\b/.test(fs.readFileSync(path.join(routesFolder, file), "utf8")),
      )
      .map(
        (file) =>
          `/${file
            .replace(/\.tsx?$/, "")
            .replace(/\._index$/, "")
            .replace(/\.\(\$slug\)/, "")
            .replace(/_(?=\.|$)/g, "")
            .replace(/\$username/, demoMembers[1]!.username)
            .replace(/\$\w+/g, "1")
            .replaceAll(".", "/")}`,
      );
    expect(paths.length).toBeGreaterThanOrEqual(20);

    const first = await startApp({ DATA_DIR: copySeededDataDir(dataDir), DATABASE_URL: "" });
    const login = await fetch(`${first.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: first.url },
      body: new URLSearchParams({ email: demoMembers[0]!.email, password: DEMO_PASSWORD }),
    });
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(cookie).toContain("session=");
    // Each address reaches its route, not the catch-all: the refusals below are not 404s in disguise.
    const catchAll = /We couldn(&#x27;|')t find that page/;
    expect(await (await fetch(`${first.url}/no/such/page`)).text()).toMatch(catchAll);
    for (const route of paths) {
      const page = await fetch(`${first.url}${route}`, { redirect: "manual", headers: { Cookie: cookie } });
      expect(await page.text(), `GET ${route}`).not.toMatch(catchAll);
    }
    await first.stop();
    const before = await databaseFingerprint(dataDir);
    expect(Object.keys(before)).toEqual(
      expect.arrayContaining(["users", "posts", "comments", "sessions", "outbox"]),
    );

    const app = await startApp({ DATA_DIR: dataDir, DATABASE_URL: "" });
    const answers: string[] = [];
    try {
      const crossSiteHeaders: Record<string, string>[] = [
        { Origin: "https://evil.example" },
        { Origin: "null" },
        { "Sec-Fetch-Site": "cross-site", Origin: app.url },
        { "Sec-Fetch-Site": "same-site" },
      ];
      for (const route of paths) {
        for (const headers of crossSiteHeaders) {
          const response = await fetch(`${app.url}${route}`, {
            method: "POST",
            redirect: "manual",
            headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie, ...headers },
            body: new URLSearchParams({
              intent: "delete-account",
              body: "Cross-site",
              password: DEMO_PASSWORD,
            }),
          });
          const text = await response.text();
          if (response.status !== 403 || !text.includes("sent from another website")) {
            answers.push(`${route} ${JSON.stringify(headers)} → ${response.status}`);
          }
        }
      }
    } finally {
      await app.stop();
    }
    expect(answers).toEqual([]);
    expect(await databaseFingerprint(dataDir)).toEqual(before);
  });

  test("with DEMO=0 an empty database stays empty", async () => {
    const app = await startApp({ DATA_DIR: dataDir, DATABASE_URL: "", DEMO: "0" });
    try {
      expect(app.output()).not.toContain("Demo log-ins");
      const page = await (await fetch(`${app.url}/`)).text();
      expect(page).toContain("Nothing here yet.");
    } finally {
      await app.stop();
    }
  });

  test("refuses a form posted from another site with 403, and creates nothing", async () => {
    const app = await startApp({ DATA_DIR: dataDir, DATABASE_URL: "", DEMO: "0" });
    try {
      const form = new URLSearchParams({
        displayName: "Cross Site",
        username: "cross-site",
        email: "cross-site@example.org",
        password: "maple syrup on tuesdays",
        libraryType: "public",
      });
      const headers = { "Content-Type": "application/x-www-form-urlencoded" };
      const crossSite = await fetch(`${app.url}/join`, {
        method: "POST",
        body: form,
        headers: { ...headers, Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" },
        redirect: "manual",
      });
      expect(crossSite.status).toBe(403);
      expect(await crossSite.text()).toContain("sent from another website");
      expect((await fetch(`${app.url}/u/cross-site`)).status).toBe(404);

      const sameSite = await fetch(`${app.url}/join`, {
        method: "POST",
        body: form,
        headers: { ...headers, Origin: app.url, "Sec-Fetch-Site": "same-origin" },
        redirect: "manual",
      });
      expect(sameSite.status).toBe(302);
      expect((await fetch(`${app.url}/u/cross-site`)).status).toBe(200);
    } finally {
      await app.stop();
    }
  });
});

/** A digest of every table of the forum, read with the server stopped. */
async function databaseFingerprint(dataDir: string) {
  const db = await PGlite.create(path.join(dataDir, "pglite"));
  try {
    const digests: Record<string, string> = {};
    const tables = await db.query<{ name: string }>(
      "select tablename as name from pg_tables where schemaname = 'public' order by tablename",
    );
    for (const { name: table } of tables.rows) {
      const result = await db.query<{ digest: string }>(
        `select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as digest from "${table}" t`,
      );
      digests[table] = result.rows[0]!.digest;
    }
    return digests;
  } finally {
    await db.close();
  }
}
