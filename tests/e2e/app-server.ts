import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const projectRoot = path.resolve(import.meta.dirname, "../..");

export type RunningApp = {
  url: string;
  process: ChildProcess;
  output: () => string;
  stop: () => Promise<number | null>;
};

export function makeDataDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), "crosswalk-e2e-"));
}

/**
 * Makes a data folder with the demo forum migrated and seeded, as a first
 * start leaves it, by running `npm run forum -- seed` once. Starting a server
 * on a copy takes about a second; a first start on an empty folder takes 8
 * to 15 s, most of it creating the embedded cluster, and the server tests
 * start a dozen servers.
 */
export function makeSeededDataDirTemplate() {
  const template = makeDataDir();
  const seeded = spawnSync(
    process.execPath,
    ["--import", "tsx", path.join(projectRoot, "scripts/forum.ts"), "seed"],
    {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: "", DATA_DIR: template, LOG_LEVEL: "warn" },
      encoding: "utf8",
    },
  );
  if (seeded.status !== 0)
    throw new Error(`Seeding the demo data folder failed:\n${seeded.stdout}${seeded.stderr}`);
  return template;
}

/**
 * A copy of the seeded template made by global-setup.ts into `dataDir`, for
 * a test whose server needs the demo forum but not a first start.
 */
export function copySeededDataDir(dataDir: string) {
  const template = process.env.E2E_SEEDED_DATA_DIR;
  if (!template) throw new Error("E2E_SEEDED_DATA_DIR is not set: run through playwright.config.ts.");
  fs.cpSync(template, dataDir, { recursive: true });
  return dataDir;
}

function spawnServer(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [path.join(projectRoot, "build/server.js")], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: "0",
      LOG_LEVEL: "warn",
      SESSION_SECRET: crypto.randomBytes(32).toString("hex"),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Starts the built server (production mode) and resolves once it prints its URL. */
export function startApp(env: Record<string, string | undefined>): Promise<RunningApp> {
  const { child, exited, output } = spawnServer(env);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    return exited;
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`The app did not start within 60 s:\n${output()}`)),
      60_000,
    );
    const onData = () => {
      const match = /running at (http:\/\/localhost:\d+)/.exec(output());
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off("data", onData);
      resolve({ url: match[1]!, process: child, output, stop });
    };
    child.stdout.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`The app exited with ${code} before it started:\n${output()}`));
    });
  });
}

/** Runs the server to completion (for start-ups that must refuse). */
export async function runAppToExit(env: Record<string, string | undefined>) {
  const { exited, output } = spawnServer(env);
  const code = await exited;
  return { code, output: output() };
}
