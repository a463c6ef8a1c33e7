// The one place for Remix's own options. The Remix Vite plugin does not read
// this file by itself: vite.config.ts imports it and passes it to `remix()`,
// and app/routes.ts reads `ignoredRouteFiles` from it.
// See docs/decisions/001-remix-vite-with-remix-config.md.

/** @type {{ ignoredRouteFiles: string[]; serverModuleFormat: "esm"; future: Record<string, true> }} */
const remixConfig = {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}", "**/*.css"],
  serverModuleFormat: "esm",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
    v3_routeConfig: true,
  },
};

export default remixConfig;
