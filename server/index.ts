import crypto from "node:crypto";
import fs from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { EnvironmentError, readEnvironment, type Environment } from "../app/lib/env.server";
import type { StartSummary } from "../app/lib/lifecycle.server";
import { logger } from "../app/lib/logger.server";
import { withRequestWork, type RequestWork } from "../app/lib/request-work.server";
import { createAdmissionGate } from "./admission";
import { plainErrorPage } from "../app/lib/database-unavailable";
import { CROSS_SITE_MESSAGE, isCrossSiteRequest } from "../app/lib/same-origin";
import {
  KEPT_ENCODINGS,
  matchesValidator,
  visitorPageKey,
  visitorPages,
  type VisitorPageTicket,
} from "../app/lib/visitor-pages.server";

/** What entry.server.tsx exports beside the renderer. */
type AppEntry = {
  startApp(environment: Environment): Promise<StartSummary>;
  startVisitorPageCache(environment: Environment): Promise<void>;
  stopApp(): Promise<void>;
};

const MAX_BODY_BYTES = 1024 * 1024;
const projectRoot = path.resolve(import.meta.dirname, "..");
const isDevelopment = process.argv.includes("--dev");
// Without --dev the server runs as in production (secure cookies, admin-only outbox) unless told otherwise.
process.env.NODE_ENV = isDevelopment ? "development" : (process.env.NODE_ENV ?? "production");
let shuttingDown = false;

let environment: Environment;
try {
  environment = readEnvironment({
    ...process.env,
    NODE_ENV: isDevelopment ? "development" : process.env.NODE_ENV,
  });
} catch (error) {
  if (!(error instanceof EnvironmentError)) throw error;
  console.error(error.message);
  process.exit(2);
}

async function loadBuild() {
  if (!isDevelopment) {
    const buildPath = path.join(projectRoot, "build/server/index.js");
    const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
    return { build: () => build, entry: build.entry.module as unknown as AppEntry, vite: undefined };
  }
  const vite = await import("vite").then((module) =>
    module.createServer({ root: projectRoot, server: { middlewareMode: true } }),
  );
  const load = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
  const build = await load();
  return { build: load, entry: build.entry.module as unknown as AppEntry, vite };
}

/** Every state-changing request must come from a page of this site: one check for every action. */
function refuseCrossSiteRequests(request: Request, response: Response, next: NextFunction) {
  const forwardedHost = request.app.get("trust proxy") ? request.get("x-forwarded-host") : undefined;
  const crossSite = isCrossSiteRequest(request.method, {
    origin: request.get("origin"),
    secFetchSite: request.get("sec-fetch-site"),
    host: forwardedHost ?? request.get("host"),
  });
  if (!crossSite) return next();
  response.status(403).type("text/plain").send(CROSS_SITE_MESSAGE);
}

/** Runs `work` with the status just before the response's headers go out: after the request's work, before the client hears. */
function beforeHeaders(response: Response, work: (status: number) => void) {
  const writeHead = response.writeHead;
  response.writeHead = function (this: Response, ...args: Parameters<Response["writeHead"]>) {
    if (!this.headersSent) work(typeof args[0] === "number" ? args[0] : this.statusCode);
    return writeHead.apply(this, args);
  } as Response["writeHead"];
}

/** Counts what each request costs (statements, writes, markdown renders) into `response.locals.work`. */
function countRequestWork(_request: Request, response: Response, next: NextFunction) {
  withRequestWork((tally) => {
    response.locals.work = tally;
    next();
  });
}

/** Says what the request cost in a header (REPORT_REQUEST_WORK). */
function reportRequestWork(_request: Request, response: Response, next: NextFunction) {
  beforeHeaders(response, () => {
    const tally = response.locals.work as RequestWork;
    response.setHeader(
      "X-Request-Work",
      `statements=${tally.statements}, writes=${tally.writes}, markdown=${tally.markdown}`,
    );
  });
  next();
}

/**
 * Answers a visitor's GET with the page kept for its address, if there is
 * one; otherwise hands the request on with a ticket to keep the page it gets
 * (entry.server.tsx). A form that wrote and succeeded forgets every kept page
 * before its answer leaves: whoever sent it sees the change on their next
 * page. Every change, here or elsewhere (another process, the CLI), also
 * arrives as the database's notification (lifecycle.server.ts).
 */
function serveVisitorPages(request: Request, response: Response, next: NextFunction) {
  if (!visitorPages.enabled) return next();
  if (request.method !== "GET" && request.method !== "HEAD") {
    // Only a form that wrote and succeeded: a refused one, or a failed log-in,
    // must not let anyone empty the cache at will. Any change is announced by
    // the database as well; this only makes sure the sender's next page is fresh.
    beforeHeaders(response, (status) => {
      if (status < 400 && (response.locals.work as RequestWork).writes > 0) visitorPages.invalidate();
    });
    return next();
  }
  const key = visitorPageKey({
    method: request.method,
    host: request.get("host"),
    path: request.originalUrl,
    cookie: request.get("cookie"),
  });
  if (key === undefined) return next();
  const page = visitorPages.find(key);
  if (!page) {
    response.locals.visitorPageTicket = visitorPages.ticket(key);
    response.setHeader("X-Visitor-Cache", "miss");
    return next();
  }
  for (const [name, value] of page.headers) response.setHeader(name, value);
  response.setHeader("X-Visitor-Cache", "hit");
  response.vary("Accept-Encoding");
  if (matchesValidator(request.get("if-none-match"), page.etag)) {
    response.removeHeader("Content-Length");
    response.status(304).end();
    return;
  }
  // Stored compressed when it was kept, preferring brotli as the compression
  // middleware does; that middleware leaves an answer already encoded alone.
  const encoding = KEPT_ENCODINGS.find((name) => request.acceptsEncodings(name) === name);
  if (encoding) {
    response.setHeader("Content-Encoding", encoding);
    response.setHeader("Content-Length", String(page.encoded[encoding].length));
    response.status(page.status).end(page.encoded[encoding]);
    return;
  }
  response.status(page.status).end(page.body);
}

const BUSY_PAGE = plainErrorPage(
  "Crosswalk is busy",
  "More people are asking for pages than the forum can answer right now. Nothing you sent was saved: please try again in a few seconds.",
);

/** The admission gate's answer when the wait would be too long: nothing was done, so trying again is safe. */
function refuseBusy(response: Response) {
  response.status(503).set("Retry-After", "5").set("Cache-Control", "no-store");
  if (response.req.accepts(["html", "text"]) === "html") response.type("html").send(BUSY_PAGE);
  else response.type("text/plain").send("Crosswalk is busy. Please try again in a few seconds.\n");
}

/** Refuses bodies over the limit before Remix reads them; a body of unknown length is refused too. */
function limitRequestBody(request: Request, response: Response, next: NextFunction) {
  if (request.method === "GET" || request.method === "HEAD") return next();
  const declared = request.headers["content-length"];
  if (declared === undefined) {
    if (request.headers["transfer-encoding"]) {
      response.status(411).type("text/plain").send("Please send a Content-Length with the request body.");
      return;
    }
    return next();
  }
  if (Number(declared) > MAX_BODY_BYTES) {
    response.status(413).type("text/plain").send("The request is larger than 1 MB, the most we accept.");
    return;
  }
  next();
}

function securityHeaders() {
  const production = environment.NODE_ENV === "production";
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: [
          "'strict-dynamic'",
          (_request, response) => `'nonce-${(response as Response).locals.cspNonce as string}'`,
          ...(production ? [] : ["'unsafe-inline'"]),
        ],
        styleSrc: ["'self'", ...(production ? [] : ["'unsafe-inline'"])],
        imgSrc: ["'self'", "https:", "http:"],
        connectSrc: ["'self'", ...(production ? [] : ["ws:"])],
        fontSrc: ["'self'"],
        formAction: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: production ? { maxAge: 63_072_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "strict-origin-when-cross-origin" },
    crossOriginEmbedderPolicy: false,
  });
}

async function main() {
  const { build, entry, vite } = await loadBuild();
  const summary = await entry.startApp(environment);
  // In development a kept page would hide the change just made to a component.
  if (!vite) await entry.startVisitorPageCache(environment);

  const app = express();
  app.disable("x-powered-by");
  if (environment.TRUST_PROXY !== undefined) app.set("trust proxy", environment.TRUST_PROXY);

  app.use((_request, response, next) => {
    // Draining: finish this request, then let the client reconnect elsewhere.
    if (shuttingDown) response.setHeader("Connection", "close");
    next();
  });
  app.use(
    pinoHttp({
      logger,
      genReqId: (request, response) => {
        const incoming = request.headers["x-request-id"];
        const id =
          typeof incoming === "string" && /^[\w-]{1,64}$/.test(incoming) ? incoming : crypto.randomUUID();
        response.setHeader("X-Request-Id", id);
        return id;
      },
      autoLogging: { ignore: (request) => request.url === "/healthz" },
      serializers: {
        req: (request: { id: unknown; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          // One-time secrets (password-reset tokens) ride in query strings: keep them out of logs.
          url: request.url.replace(/([?&]token=)[^&]*/g, "$1[redacted]"),
        }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
    }),
  );
  app.use((_request, response, next) => {
    response.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    next();
  });
  app.use(countRequestWork);
  if (environment.REPORT_REQUEST_WORK) app.use(reportRequestWork);
  app.use(securityHeaders());
  app.use(compression());
  app.use(limitRequestBody);
  app.use(refuseCrossSiteRequests);

  if (vite) {
    app.use(vite.middlewares);
  } else {
    app.use(
      "/assets",
      express.static(path.join(projectRoot, "build/client/assets"), { immutable: true, maxAge: "1y" }),
    );
    // Only the few files at the top of build/client (favicon, robots): other paths skip the disk.
    const clientFolder = path.join(projectRoot, "build/client");
    const topLevelFiles = new Set(
      fs
        .readdirSync(clientFolder, { withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => `/${entry.name}`),
    );
    const serveTopLevelFile = express.static(clientFolder, { maxAge: "1h", index: false });
    app.use((request, response, next) => {
      if (topLevelFiles.has(request.path)) return serveTopLevelFile(request, response, next);
      next();
    });
  }

  const gate = createAdmissionGate(
    {
      maxActive: environment.MAX_ACTIVE_REQUESTS ?? 2 * environment.DATABASE_POOL_SIZE,
      maxQueued: environment.MAX_QUEUED_REQUESTS,
      queueTimeoutMs: environment.QUEUE_TIMEOUT_MS,
    },
    refuseBusy,
  );
  // A kept page costs no database connection, so it does not wait at the gate.
  app.use(serveVisitorPages);
  app.use((request, response, next) => {
    // A health check reports on the process and the database, not on the queue.
    if (request.path === "/healthz") return next();
    gate.admit(request, response, next);
  });

  app.all(
    "*",
    createRequestHandler({
      build: vite ? build : build(),
      mode: environment.NODE_ENV,
      getLoadContext: (request, response) => ({
        cspNonce: response.locals.cspNonce as string,
        clientIp: request.ip ?? null,
        visitorPageTicket: response.locals.visitorPageTicket as VisitorPageTicket | undefined,
      }),
    }),
  );

  const server = app.listen(environment.PORT, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : environment.PORT;
    // E-mailed links point at the port really bound (PORT=0 picks a free one) unless PUBLIC_URL says otherwise.
    process.env.PUBLIC_URL ??= `http://localhost:${port}`;
    printBanner(summary, port);
  });
  installGracefulShutdown(server, async () => {
    await vite?.close();
    await entry.stopApp();
  });
}

function printBanner(summary: StartSummary, port: number) {
  const lines = [
    "",
    `Crosswalk is running at http://localhost:${port}`,
    `Database: ${summary.database}${summary.seeded ? " (demo content seeded)" : ""}`,
  ];
  if (summary.demoAccounts.length > 0) {
    lines.push(`Demo log-ins (password for all: ${summary.demoPassword}):`);
    for (const account of summary.demoAccounts) {
      lines.push(`  ${account.email.padEnd(34)} ${account.role.padEnd(10)} ${account.displayName}`);
    }
  }
  lines.push("Stop with Ctrl+C.", "");
  process.stdout.write(`${lines.join("\n")}\n`);
  logger.info({ port }, "listening");
}

/**
 * On SIGTERM or SIGINT: stop accepting connections, let requests in flight
 * finish until the deadline, then close the database and exit 0.
 */
function installGracefulShutdown(server: Server, closeResources: () => Promise<void>) {
  const shutdown = async (signal: NodeJS.Signals) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, "shutting down");
    const deadline = setTimeout(() => {
      logger.warn("requests still running at the shutdown deadline; closing their connections");
      server.closeAllConnections();
    }, environment.SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(deadline);
    try {
      await closeResources();
      logger.info("stopped");
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, "error while closing");
      process.exit(1);
    }
  };
  process.on("SIGTERM", (signal) => void shutdown(signal));
  process.on("SIGINT", (signal) => void shutdown(signal));
}

main().catch((error: unknown) => {
  if (error instanceof Error && error.name === "DataDirLockedError") {
    console.error(error.message);
  } else {
    logger.fatal({ err: error }, "could not start");
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
