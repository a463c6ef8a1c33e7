import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  resolve: { alias: { "~": new URL("./app", import.meta.url).pathname } },
  // The Vite plugin ignores remix.config.js on its own; pass it through so that
  // file stays the single source of Remix options.
  plugins: [remix(remixConfig)],
  ssr: {
    // Native addons and WASM packages must be loaded by Node, not bundled.
    external: ["@node-rs/argon2", "@electric-sql/pglite", "postgres"],
  },
  optimizeDeps: {
    // The dependency scan trips over argon2's WASM fallback.
    exclude: ["@node-rs/argon2"],
  },
  build: { target: "es2022" },
});
