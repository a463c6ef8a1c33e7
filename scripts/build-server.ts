// The second half of `npm run build`: compiles the Express entry (server/index.ts)
// to build/server.js, so production runs plain JavaScript with no TypeScript
// loader in the process (docs/decisions/028-compiled-server-entry.md).
import path from "node:path";
import { build } from "vite";

const projectRoot = path.resolve(import.meta.dirname, "..");

await build({
  configFile: false,
  root: projectRoot,
  logLevel: "warn",
  resolve: { alias: { "~": path.join(projectRoot, "app") } },
  build: {
    // Packages stay imports, resolved from node_modules at run time; only the
    // entry and the few app modules it imports are bundled.
    ssr: path.join(projectRoot, "server/index.ts"),
    outDir: path.join(projectRoot, "build"),
    // build/client and build/server are Remix's, written just before.
    emptyOutDir: false,
    target: "node20",
    minify: false,
    copyPublicDir: false,
    rollupOptions: { output: { format: "esm", entryFileNames: "server.js" } },
  },
});
