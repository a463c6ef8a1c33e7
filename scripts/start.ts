// `npm start`: build when the build is missing or older than the sources, then serve in production mode.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const projectRoot = path.resolve(import.meta.dirname, "..");
// Both halves of `npm run build`: the Remix app, and the Express entry compiled after it.
const builtFiles = [
  path.join(projectRoot, "build/server/index.js"),
  path.join(projectRoot, "build/server.js"),
];
const sources = ["app", "server", "public", "remix.config.js", "vite.config.ts", "package-lock.json"];

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
  const built = builtFiles.map((file) => fs.statSync(file, { throwIfNoEntry: false }));
  if (built.some((stat) => !stat)) return true;
  const oldest = Math.min(...built.map((stat) => stat!.mtimeMs));
  return sources.some((source) => newestModification(path.join(projectRoot, source)) > oldest);
}

if (needsBuild()) {
  process.stdout.write("Building Crosswalk…\n");
  execFileSync(
    process.execPath,
    [path.join(projectRoot, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"],
    { cwd: projectRoot, stdio: "inherit" },
  );
  execFileSync(process.execPath, ["--import", "tsx", path.join(projectRoot, "scripts/build-server.ts")], {
    cwd: projectRoot,
    stdio: "inherit",
  });
}

process.env.NODE_ENV = "production";
// The same compiled entry `npm run serve` runs.
await import(pathToFileURL(builtFiles[1]!).href);
