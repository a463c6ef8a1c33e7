import path from "node:path";
import { z } from "zod";

const booleanFlag = z
  .enum(["0", "1", "true", "false"])
  .transform((value) => value === "1" || value === "true");

const environmentSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgres:// or postgresql:// URL")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().min(1).default("./data"),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().min(3).default("Crosswalk <no-reply@localhost>"),
  // The address people reach the forum at; links in e-mail are built from it,
  // never from the request's Host header (which a client chooses).
  PUBLIC_URL: z
    .string()
    .url()
    .regex(/^https?:\/\//, "PUBLIC_URL must be an http:// or https:// URL")
    .optional(),
  // Unset: on, except for a forum with a public address (isPublicDeployment).
  DEMO: booleanFlag.optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Adds X-Request-Work (SQL statements, writes, markdown renders) to every answer: for the benchmark.
  REPORT_REQUEST_WORK: booleanFlag.default(false),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  // The admission gate in front of the app (server/admission.ts): past these, a request gets 503 at once.
  MAX_ACTIVE_REQUESTS: z.coerce.number().int().min(1).max(1000).optional(),
  MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).max(10_000).default(100),
  QUEUE_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(5_000),
  // Memory for visitors' pages kept between requests (app/lib/visitor-pages.server.ts); 0 turns it off.
  VISITOR_CACHE_MB: z.coerce.number().int().min(0).max(4096).default(32),
  // Express's "trust proxy": a hop count, true/false, or addresses and subnets (comma separated).
  TRUST_PROXY: z
    .string()
    .transform((value): boolean | number | string =>
      value === "true" ? true : value === "false" ? false : /^\d+$/.test(value) ? Number(value) : value,
    )
    .optional(),
});

export type Environment = Omit<z.infer<typeof environmentSchema>, "DEMO"> & {
  DEMO: boolean;
  dataDir: string;
  publicUrl: string;
};

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/**
 * A PUBLIC_URL that is not this machine means people will reach the forum:
 * the demo content, whose admin password is in the README, must then be asked
 * for by name rather than arrive by default.
 */
function isPublicDeployment(publicUrl: string | undefined) {
  return publicUrl !== undefined && !LOOPBACK_HOSTS.has(new URL(publicUrl).hostname);
}

export class EnvironmentError extends Error {}

/** Reads and checks the process environment; a bad value stops start-up with the variable's name. */
export function readEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  // An empty variable means unset, as in most shells' `VAR= command`.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new EnvironmentError(`Invalid configuration:\n${problems.join("\n")}`);
  }
  const environment = parsed.data;
  if (environment.NODE_ENV === "production" && environment.DATABASE_URL && !environment.SESSION_SECRET) {
    throw new EnvironmentError(
      "SESSION_SECRET is required when NODE_ENV=production and DATABASE_URL is set.",
    );
  }
  const publicUrl = (environment.PUBLIC_URL ?? `http://localhost:${environment.PORT}`).replace(/\/+$/, "");
  const DEMO = environment.DEMO ?? !isPublicDeployment(environment.PUBLIC_URL);
  return { ...environment, DEMO, dataDir: path.resolve(environment.DATA_DIR), publicUrl };
}

let publicUrlCache: { key: string; value: string } | undefined;

/** PUBLIC_URL as readEnvironment() gives it, without checking the whole environment on every request. */
export function currentPublicUrl() {
  const key = `${process.env.PUBLIC_URL ?? ""}|${process.env.PORT ?? ""}`;
  if (publicUrlCache?.key !== key) publicUrlCache = { key, value: readEnvironment().publicUrl };
  return publicUrlCache.value;
}
