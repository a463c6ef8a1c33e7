import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE_NAME } from "~/lib/data-dir-lock.server";

let tempRoot: string;
const children: ChildProcess[] = [];
const releases: (() => void)[] = [];

/** Acquires the lock and remembers to release it after the test. */
function acquire(dir: string) {
  const release = acquireDataDirLock(dir);
  releases.push(release);
  return release;
}

/** A node process that stays alive until the test ends. */
function spawnLiveProcess() {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 30000)"], { stdio: "ignore" });
  children.push(child);
  if (child.pid === undefined) throw new Error("could not start a child process");
  return child.pid;
}

/** The pid of a node process that has already exited. */
async function deadPid() {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid;
  if (pid === undefined) throw new Error("could not start a child process");
  await new Promise<void>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", () => resolve());
  });
  return pid;
}

beforeEach(() => {
  tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), "crosswalk-lock-"));
});

afterEach(() => {
  for (const release of releases.splice(0)) release();
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill();
  fs.rmSync(tempRoot, { recursive: true, force: true });
});

describe("acquireDataDirLock", () => {
  it("creates the data folder when it is missing and writes our pid into crosswalk.lock", () => {
    const dataDir = path.join(tempRoot, "nested", "data");

    acquire(dataDir);

    expect(LOCK_FILE_NAME).toBe("crosswalk.lock");
    expect(fs.statSync(dataDir).isDirectory()).toBe(true);
    expect(fs.readFileSync(path.join(dataDir, "crosswalk.lock"), "utf8").trim()).toBe(String(process.pid));
  });

  it("removes the lock file when released, so the folder can be taken again", () => {
    const release = acquire(tempRoot);

    release();

    expect(fs.existsSync(path.join(tempRoot, LOCK_FILE_NAME))).toBe(false);
    expect(() => acquire(tempRoot)).not.toThrow();
  });

  it("does nothing when released a second time", () => {
    const release = acquire(tempRoot);
    release();
    acquire(tempRoot);

    release();

    expect(fs.readFileSync(path.join(tempRoot, LOCK_FILE_NAME), "utf8").trim()).toBe(String(process.pid));
  });

  it("refuses a folder held by another live process, naming the folder and that pid", () => {
    const holder = spawnLiveProcess();
    const lockPath = path.join(tempRoot, LOCK_FILE_NAME);
    fs.writeFileSync(lockPath, `${holder}\n`);

    let thrown: unknown;
    try {
      acquire(tempRoot);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(DataDirLockedError);
    const error = thrown as DataDirLockedError;
    expect(error.message).toContain(tempRoot);
    expect(error.message).toContain(`pid ${holder}`);
    expect(error.dataDir).toBe(tempRoot);
    expect(error.holderPid).toBe(holder);
    expect(fs.readFileSync(lockPath, "utf8").trim()).toBe(String(holder));
  });

  it("takes over a lock left by a process that has exited", async () => {
    const pid = await deadPid();
    const lockPath = path.join(tempRoot, LOCK_FILE_NAME);
    fs.writeFileSync(lockPath, `${pid}\n`);

    acquire(tempRoot);

    expect(fs.readFileSync(lockPath, "utf8").trim()).toBe(String(process.pid));
  });

  it.each([["not a pid"], [""], ["-4"], ["0"]])("takes over a lock file holding junk (%j)", (contents) => {
    const lockPath = path.join(tempRoot, LOCK_FILE_NAME);
    fs.writeFileSync(lockPath, contents);

    acquire(tempRoot);

    expect(fs.readFileSync(lockPath, "utf8").trim()).toBe(String(process.pid));
  });

  it("refuses to take the same folder twice in one process", () => {
    acquire(tempRoot);

    expect(() => acquire(tempRoot)).toThrow(/already holds the lock/);
    expect(fs.readFileSync(path.join(tempRoot, LOCK_FILE_NAME), "utf8").trim()).toBe(String(process.pid));
  });

  it("does not remove a lock that another process has taken since", () => {
    const release = acquire(tempRoot);
    const holder = spawnLiveProcess();
    const lockPath = path.join(tempRoot, LOCK_FILE_NAME);
    fs.writeFileSync(lockPath, `${holder}\n`);

    release();

    expect(fs.readFileSync(lockPath, "utf8").trim()).toBe(String(holder));
  });
});
