import pino from "pino";

/** The one structured logger; request logs carry a request id (server/index.ts). */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "crosswalk" },
});
