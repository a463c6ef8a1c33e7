// `npm start`: build when the build is missing or older than the sources, then serve in production mode.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const projectRoot = path.resolve(import.meta.dirname, "..");
const builtServer = path.join(projectRoot, "build/server/index.js");
const sources = ["app", "public", "remix.config.js", "vite.config.ts", "package-lock.json"];

function newestModification(target: string): number {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(target))
    newest = Math.max(newest, newestModification(path.join(target, entry)));
  return newest;
}

function needsBuild() {
  const built = fs.statSync(builtServer, { throwIfNoEntry: false });
  if (!built) return true;
  return sources.some((source) => newestModification(path.join(projectRoot, source)) > built.mtimeMs);
}

if (needsBuild()) {
  process.stdout.write("Building Crosswalk…\n");
  execFileSync(
    process.execPath,
    [path.join(projectRoot, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"],
    {
      cwd: projectRoot,
      stdio: "inherit",
    },
  );
}

process.env.NODE_ENV = "production";
await import("../server/index.ts");
