import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The folder holding package.json. Found by walking up because this module runs
 * both from app/lib (tsx, vitest) and bundled into build/server.
 */
function findProjectRoot(start: string) {
  let directory = start;
  for (;;) {
    if (
      fs.existsSync(path.join(directory, "package.json")) &&
      fs.existsSync(path.join(directory, "drizzle"))
    ) {
      return directory;
    }
    const parent = path.dirname(directory);
    if (parent === directory) return process.cwd();
    directory = parent;
  }
}

export const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
export const migrationsFolder = path.join(projectRoot, "drizzle");
