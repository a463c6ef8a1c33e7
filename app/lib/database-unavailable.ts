/**
 * Whether an error means the database cannot be reached, rather than that a
 * query was wrong: the connection was refused, cut or timed out, the server
 * is shutting down or starting up, or it refuses connections to this
 * database. Looks through the causes, since Drizzle wraps the driver's error.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current !== "object") return false;
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && UNAVAILABLE_CODES.has(code)) return true;
    if (
      code === "55000" &&
      typeof message === "string" &&
      /not currently accepting connections/.test(message)
    ) {
      return true;
    }
    current = cause;
  }
  return false;
}

const UNAVAILABLE_CODES = new Set([
  // Node's socket errors, and postgres.js's own.
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections.
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);

/** A small page for when the app cannot do its work at all; it needs no database, no React and no script. */
export function plainErrorPage(title: string, message: string) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main><h1>${title}</h1><p>${message}</p><p><a href="/">Back to the latest discussions</a></p></main></body>
</html>
`;
}
