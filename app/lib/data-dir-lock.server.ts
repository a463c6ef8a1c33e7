import fs from "node:fs";
import path from "node:path";

export const LOCK_FILE_NAME = "crosswalk.lock";

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another Crosswalk process (pid ${holderPid}). ` +
        `Stop that process first, or set DATA_DIR to another folder. ` +
        `Two processes on one PGlite folder would corrupt it.`,
    );
    this.name = "DataDirLockedError";
  }
}

function isProcessAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readHolderPid(lockPath: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(lockPath, "utf8").trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

function tryCreateLock(lockPath: string) {
  try {
    fs.writeFileSync(lockPath, `${process.pid}\n`, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Takes the data folder for this process alone. PGlite has no lock of its own,
 * and two processes writing one folder silently lose rows, so a second process
 * stops here. A lock left by a dead process is taken over.
 * Returns the function that releases the lock.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);

  for (let attempt = 0; attempt < 3; attempt++) {
    if (tryCreateLock(lockPath)) {
      // Two processes taking over the same stale lock at once: the later write wins, the other stops.
      const holder = readHolderPid(lockPath);
      if (holder !== process.pid) throw new DataDirLockedError(dataDir, holder ?? -1);
      return releaseOnce(lockPath);
    }
    const holder = readHolderPid(lockPath);
    if (holder === process.pid) throw new Error(`This process already holds the lock on ${dataDir}.`);
    if (holder !== null && isProcessAlive(holder)) throw new DataDirLockedError(dataDir, holder);
    fs.rmSync(lockPath, { force: true });
  }
  throw new Error(`Could not take the lock on ${dataDir}; try again.`);
}

function releaseOnce(lockPath: string) {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    if (readHolderPid(lockPath) === process.pid) fs.rmSync(lockPath, { force: true });
  };
  process.on("exit", release);
  return release;
}
