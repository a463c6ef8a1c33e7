import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { makeDataDir, runAppToExit, startApp } from "./app-server";

// The server process itself: its lock on the embedded database, its shutdown,
// its headers and limits. Each test runs its own server on its own data.
test.describe.configure({ mode: "serial" });

test.describe("the server process", () => {
  let dataDir: string;
  test.beforeEach(() => {
    dataDir = makeDataDir();
  });
  test.afterEach(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test("a second server on the same data folder refuses at once, naming the folder and the pid", async () => {
    const first = await startApp({ DATA_DIR: dataDir, DATABASE_URL: "" });
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
    fs.mkdirSync(dataDir, { recursive: true });
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
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      MAX_ACTIVE_REQUESTS: "1",
      MAX_QUEUED_REQUESTS: "1",
    });
    try {
      const burst = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const response = await fetch(`${app.url}/`, { headers: { Accept: "text/html" } });
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
