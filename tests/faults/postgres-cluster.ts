/**
 * A PostgreSQL cluster of the fault tests' own, which they may stop and start:
 * the shared server (DATABASE_URL) cannot be stopped, since CI and other users
 * share it. It is made with the installed binaries in a temporary folder,
 * listens on 127.0.0.1 only, trusts every local connection, and keeps fsync
 * on: what it is tested for is losing nothing it acknowledged.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const INSTALLED_VERSIONS = "/usr/lib/postgresql";
export const BINARIES_PATTERN = `${INSTALLED_VERSIONS}/*/bin`;
const NEEDED_BINARIES = ["initdb", "pg_ctl", "postgres"];

export type PrivateCluster = {
  url: string;
  /** pg_ctl stop: "immediate" is a crash (the next start recovers from the WAL), "fast" cuts every session and shuts down cleanly. */
  stop(mode: "fast" | "immediate"): Promise<void>;
  /** pg_ctl start, returning once the server accepts connections. */
  start(): Promise<void>;
  /** Stops the server, if it runs, and deletes its folder. */
  remove(): Promise<void>;
};

/** The bin folder of the newest installed PostgreSQL that has initdb, pg_ctl and postgres; undefined if none has. */
export function findPostgresBinaries() {
  let versions: string[];
  try {
    versions = fs.readdirSync(INSTALLED_VERSIONS);
  } catch {
    return undefined;
  }
  return versions
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    .map((version) => path.join(INSTALLED_VERSIONS, version, "bin"))
    .find((bin) => NEEDED_BINARIES.every((name) => fs.existsSync(path.join(bin, name))));
}

/**
 * initdb and postgres refuse to run as root: as root, they run as the
 * postgres account. Otherwise as the current user.
 */
function accountToRunAs() {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch (error) {
    throw new Error(
      `We run as root, which initdb and postgres refuse, and there is no postgres account to run them as: ${String(error)}`,
    );
  }
}

/** Creates the cluster and starts it on `port`; on failure it leaves nothing behind. */
export async function createPrivateCluster(binaries: string, port: number): Promise<PrivateCluster> {
  const account = accountToRunAs();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "crosswalk-faults-postgres-"));
  const dataDir = path.join(folder, "data");
  const logFile = path.join(folder, "postgres.log");
  if (account) fs.chownSync(folder, account.uid, account.gid);

  const run = (binary: string, args: string[]) =>
    new Promise<string>((resolve, reject) => {
      // The folder as working directory: the postgres account may not enter the project's.
      const child = spawn(path.join(binaries, binary), args, {
        cwd: folder,
        stdio: ["ignore", "pipe", "pipe"],
        ...account,
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.once("error", reject);
      child.once("close", (code) => {
        if (code === 0) return resolve(output);
        const serverLog = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").slice(-2000) : "";
        reject(
          new Error(
            `${binary} ${args.join(" ")} exited with ${code}:\n${output.trim()}${serverLog ? `\nServer log:\n${serverLog}` : ""}`,
          ),
        );
      });
    });
  const pgCtl = (...args: string[]) => run("pg_ctl", ["--pgdata", dataDir, "--wait", ...args]);

  const pidFile = path.join(dataDir, "postmaster.pid");
  const cluster: PrivateCluster = {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop(mode) {
      await pgCtl("stop", "--mode", mode);
    },
    async start() {
      await pgCtl("start", "--timeout", "60", "--log", logFile);
    },
    async remove() {
      try {
        if (fs.existsSync(pidFile)) await cluster.stop("immediate");
      } catch (error) {
        process.stderr.write(`Stopping the private PostgreSQL cluster failed: ${String(error)}\n`);
        // Stop the server this cluster started by its own pid (SIGQUIT: an immediate shutdown), so none is left running.
        const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]) : 0;
        try {
          if (pid > 0) process.kill(pid, "SIGQUIT");
        } catch {
          // gone already
        }
      } finally {
        fs.rmSync(folder, { recursive: true, force: true });
      }
    },
  };

  try {
    // No locale: the cluster then needs none of the machine's, and the tests compare no text by locale.
    await run("initdb", [
      "--pgdata",
      dataDir,
      "--username",
      "postgres",
      "--auth",
      "trust",
      "--encoding",
      "UTF8",
      "--no-locale",
    ]);
    // In the configuration file rather than on pg_ctl's command line, so every restart uses it.
    fs.appendFileSync(
      path.join(dataDir, "postgresql.conf"),
      [
        "",
        "# The fault tests' own settings",
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        `unix_socket_directories = '${folder}'`,
        "fsync = on",
        "synchronous_commit = on",
        "full_page_writes = on",
        "",
      ].join("\n"),
    );
    await cluster.start();
    return cluster;
  } catch (error) {
    await cluster.remove();
    throw error;
  }
}
