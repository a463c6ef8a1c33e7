import path from "node:path";
import { describe, expect, it } from "vitest";
import { EnvironmentError, readEnvironment } from "~/lib/env.server";

const secret = "s".repeat(32);

/** An environment holding only these variables (like a shell with nothing else set). */
const env = (variables: Record<string, string> = {}) => variables as NodeJS.ProcessEnv;

/** The EnvironmentError that reading `source` throws. */
function environmentError(variables: Record<string, string>): EnvironmentError {
  try {
    readEnvironment(env(variables));
  } catch (error) {
    expect(error).toBeInstanceOf(EnvironmentError);
    return error as EnvironmentError;
  }
  throw new Error(`readEnvironment accepted ${JSON.stringify(variables)}`);
}

describe("readEnvironment", () => {
  it("uses defaults when nothing is set", () => {
    const environment = readEnvironment(env());

    expect(environment.PORT).toBe(3000);
    expect(environment.NODE_ENV).toBe("development");
    expect(environment.DEMO).toBe(true);
    expect(environment.DATABASE_URL).toBeUndefined();
    expect(environment.SESSION_SECRET).toBeUndefined();
    expect(environment.DATA_DIR).toBe("./data");
  });

  it("resolves the default data folder to an absolute ./data", () => {
    const { dataDir } = readEnvironment(env());

    expect(path.isAbsolute(dataDir)).toBe(true);
    expect(dataDir).toBe(path.resolve(process.cwd(), "data"));
  });

  it("resolves a relative DATA_DIR against the working directory and keeps an absolute one", () => {
    expect(readEnvironment(env({ DATA_DIR: "var/forum" })).dataDir).toBe(
      path.resolve(process.cwd(), "var/forum"),
    );
    const absolute = path.resolve("/srv/crosswalk");
    expect(readEnvironment(env({ DATA_DIR: absolute })).dataDir).toBe(absolute);
  });

  it("reads the admission gate's bounds, leaving the active limit to the server when unset", () => {
    const defaults = readEnvironment(env());
    expect(defaults.MAX_ACTIVE_REQUESTS).toBeUndefined();
    expect(defaults.MAX_QUEUED_REQUESTS).toBe(100);
    expect(defaults.QUEUE_TIMEOUT_MS).toBe(5_000);
    const set = readEnvironment(
      env({ MAX_ACTIVE_REQUESTS: "4", MAX_QUEUED_REQUESTS: "0", QUEUE_TIMEOUT_MS: "250" }),
    );
    expect([set.MAX_ACTIVE_REQUESTS, set.MAX_QUEUED_REQUESTS, set.QUEUE_TIMEOUT_MS]).toEqual([4, 0, 250]);
    expect(environmentError({ MAX_ACTIVE_REQUESTS: "0" }).message).toMatch(/MAX_ACTIVE_REQUESTS/);
    expect(environmentError({ QUEUE_TIMEOUT_MS: "soon" }).message).toMatch(/QUEUE_TIMEOUT_MS/);
  });

  it("reads a numeric PORT", () => {
    expect(readEnvironment(env({ PORT: "8080" })).PORT).toBe(8080);
  });

  it.each([["abc"], ["80.5"], ["-1"], ["65536"], ["3000abc"]])("refuses PORT=%s, naming PORT", (port) => {
    expect(environmentError({ PORT: port }).message).toMatch(/PORT/);
  });

  it.each([
    ["0", false],
    ["false", false],
    ["1", true],
    ["true", true],
  ])("reads DEMO=%s as %s", (value, expected) => {
    expect(readEnvironment(env({ DEMO: value })).DEMO).toBe(expected);
  });

  it.each([
    ["https://forum.example.org", false],
    ["http://library.example.org:8080/forum", false],
    ["http://localhost:3000", true],
    ["http://127.0.0.1:4000", true],
    ["http://[::1]:3000", true],
  ])("with PUBLIC_URL=%s and DEMO unset, seeds the demo: %s", (publicUrl, expected) => {
    expect(readEnvironment(env({ PUBLIC_URL: publicUrl })).DEMO).toBe(expected);
  });

  it("seeds the demo on a public address when DEMO=1 says so", () => {
    expect(readEnvironment(env({ PUBLIC_URL: "https://forum.example.org", DEMO: "1" })).DEMO).toBe(true);
  });

  it("refuses a DEMO value that is not a flag, naming DEMO", () => {
    expect(environmentError({ DEMO: "yes please" }).message).toMatch(/DEMO/);
  });

  it.each([["postgres://forum:pw@db:5432/crosswalk"], ["postgresql://forum@localhost/crosswalk"]])(
    "accepts DATABASE_URL=%s",
    (url) => {
      expect(readEnvironment(env({ DATABASE_URL: url })).DATABASE_URL).toBe(url);
    },
  );

  it.each([["mysql://forum@db/crosswalk"], ["http://db:5432/"], ["localhost:5432"], ["postgres:/db"]])(
    "refuses DATABASE_URL=%s, naming DATABASE_URL",
    (url) => {
      expect(environmentError({ DATABASE_URL: url }).message).toMatch(/DATABASE_URL/);
    },
  );

  it("treats an empty DATABASE_URL as unset", () => {
    expect(readEnvironment(env({ DATABASE_URL: "" })).DATABASE_URL).toBeUndefined();
  });

  it("requires SESSION_SECRET in production with DATABASE_URL", () => {
    const error = environmentError({ NODE_ENV: "production", DATABASE_URL: "postgres://db/crosswalk" });

    expect(error.message).toMatch(/SESSION_SECRET/);
  });

  it("starts in production with DATABASE_URL when SESSION_SECRET is set", () => {
    const environment = readEnvironment(
      env({
        NODE_ENV: "production",
        DATABASE_URL: "postgres://db/crosswalk",
        SESSION_SECRET: secret,
      }),
    );

    expect(environment.SESSION_SECRET).toBe(secret);
  });

  it("does not require SESSION_SECRET in production on the embedded database", () => {
    expect(readEnvironment(env({ NODE_ENV: "production" })).NODE_ENV).toBe("production");
    expect(readEnvironment(env({ NODE_ENV: "production", DATABASE_URL: "" })).DATABASE_URL).toBeUndefined();
  });

  it("refuses a SESSION_SECRET shorter than 32 characters, naming SESSION_SECRET", () => {
    expect(environmentError({ SESSION_SECRET: "short" }).message).toMatch(/SESSION_SECRET/);
  });

  it("refuses an unknown NODE_ENV, naming NODE_ENV", () => {
    expect(environmentError({ NODE_ENV: "staging" }).message).toMatch(/NODE_ENV/);
  });

  it("names every bad variable at once", () => {
    const message = environmentError({ PORT: "nope", DATABASE_URL: "mysql://db" }).message;

    expect(message).toMatch(/PORT/);
    expect(message).toMatch(/DATABASE_URL/);
  });

  it("ignores variables it does not know", () => {
    expect(() => readEnvironment(env({ HOME: "/root", PATH: "/usr/bin" }))).not.toThrow();
  });
});

describe("readEnvironment: links and mail", () => {
  it("builds e-mailed links from PUBLIC_URL, or from localhost and the port", () => {
    expect(readEnvironment(env({ PUBLIC_URL: "https://forum.example.org/" })).publicUrl).toBe(
      "https://forum.example.org",
    );
    expect(readEnvironment(env({ PORT: "4100" })).publicUrl).toBe("http://localhost:4100");
  });

  it("refuses a PUBLIC_URL that is not an http(s) URL", () => {
    expect(() => readEnvironment(env({ PUBLIC_URL: "ftp://forum.example.org" }))).toThrow(/PUBLIC_URL/);
    expect(() => readEnvironment(env({ PUBLIC_URL: "forum.example.org" }))).toThrow(/PUBLIC_URL/);
  });

  it("takes TRUST_PROXY as a hop count, a boolean or a list of addresses", () => {
    expect(readEnvironment(env({ TRUST_PROXY: "1" })).TRUST_PROXY).toBe(1);
    expect(readEnvironment(env({ TRUST_PROXY: "true" })).TRUST_PROXY).toBe(true);
    expect(readEnvironment(env({ TRUST_PROXY: "loopback, 10.0.0.0/8" })).TRUST_PROXY).toBe(
      "loopback, 10.0.0.0/8",
    );
  });
});
