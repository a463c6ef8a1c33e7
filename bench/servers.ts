/** Starts and stops the servers the benchmark measures, each in its own process. */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "..");

export type RunningServer = {
  name: string;
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
  /** Resident memory of the server process, in bytes. */
  rss(): number;
};

async function waitUntilAnswering(url: string, child: ChildProcess, name: string, output: () => string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited at start-up:\n${output()}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${name} did not answer within a minute:\n${output()}`);
}

function start(name: string, args: string[], environment: Record<string, string>, port: number) {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, ...environment },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const url = `http://127.0.0.1:${port}`;
  const server: RunningServer = {
    name,
    url,
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
    rss() {
      const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
      const kilobytes = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
      return Number(kilobytes ?? 0) * 1024;
    },
  };
  return { server, ready: () => waitUntilAnswering(url, child, name, () => output) };
}

/**
 * Crosswalk as production runs it: the built app behind the compiled
 * server/index.ts. With `keepVisitorPages: false` it renders every page
 * (VISITOR_CACHE_MB=0), which is what a page costs when it is not kept.
 */
export async function startCrosswalk(
  name: string,
  databaseUrl: string,
  port: number,
  sessionSecret: string,
  { keepVisitorPages }: { keepVisitorPages: boolean },
) {
  const { server, ready } = start(
    name,
    ["build/server.js"],
    {
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: sessionSecret,
      PORT: String(port),
      DEMO: "0",
      // Access logs come from the proxy in front; errors and warnings still print.
      LOG_LEVEL: "warn",
      // Each answer says how many SQL statements, writes and markdown renders it cost.
      REPORT_REQUEST_WORK: "1",
      ...(keepVisitorPages ? {} : { VISITOR_CACHE_MB: "0" }),
    },
    port,
  );
  await ready();
  return server;
}

export async function startBaseline(name: string, databaseUrl: string, port: number) {
  const { server, ready } = start(
    name,
    ["--import", "tsx", "bench/baseline-server.ts", databaseUrl, String(port)],
    {},
    port,
  );
  await ready();
  return server;
}

export async function run(command: string, args: string[], environment: Record<string, string> = {}) {
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: { ...process.env, ...environment },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} failed (${code}):\n${output.slice(-4000)}`);
  return output;
}
