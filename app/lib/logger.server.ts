import pino from "pino";
import { z } from "zod";

// Read on its own rather than through readEnvironment(), so that logging works
// even while the rest of the configuration is being reported as invalid.
const level = z
  .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
  .catch(process.env.NODE_ENV === "test" ? "silent" : "info")
  .parse(process.env.LOG_LEVEL);

/** The one structured logger; request logs carry a request id (server/index.ts). */
export const logger = pino({ level, base: { service: "crosswalk" } });
