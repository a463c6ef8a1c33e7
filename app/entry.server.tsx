import crypto from "node:crypto";
import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import { isDatabaseUnavailable, plainErrorPage } from "~/lib/database-unavailable";
import { logger } from "~/lib/logger.server";
import { matchesValidator, visitorPages, type VisitorPageTicket } from "~/lib/visitor-pages.server";

// The Express server (server/index.ts) opens and closes the database through
// the build, so the app and the server share one connection and one lock.
export { startApp, startVisitorPageCache, stopApp } from "~/lib/lifecycle.server";
export { pingDatabase } from "~/models/health.server";

export const streamTimeout = 5_000;

/**
 * Renders the whole document, then sends it in one piece with its length.
 * No route defers data, so streaming the shell early would gain nothing,
 * while piping React's many small chunks through a web stream cost a write
 * call each (docs/decisions/022-whole-document-rendering.md).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  if (requestsWithoutDatabase.has(request)) return databaseUnavailableResponse(responseHeaders);
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : undefined;
  return new Promise<Response>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const document = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
      final(callback) {
        clearTimeout(deadline);
        const body = Buffer.concat(chunks);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(
          documentResponse(
            request,
            body,
            responseStatusCode,
            responseHeaders,
            isVisitorPage(remixContext),
            loadContext.visitorPageTicket,
          ),
        );
        callback();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onAllReady() {
          pipe(document);
        },
        onShellError(error: unknown) {
          clearTimeout(deadline);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          logger.error({ err: error }, "render error");
        },
      },
    );
    const deadline = setTimeout(abort, streamTimeout + 1_000);
  });
}

/** A visitor's page is plain HTML (root.tsx): the same bytes for every visitor, with no nonce in them. */
function isVisitorPage(remixContext: EntryContext) {
  const root = remixContext.staticHandlerContext.loaderData.root as { user?: unknown } | undefined;
  return !root?.user;
}

/**
 * A visitor's page may be kept by a proxy or a CDN, which must ask again each
 * time (the validator is the page's hash, so "unchanged" costs no bytes), and
 * by this process (visitor-pages.server.ts) until the forum changes; a
 * member's page is theirs alone and never stored by a shared cache.
 */
function documentResponse(
  request: Request,
  body: Buffer<ArrayBuffer>,
  status: number,
  headers: Headers,
  visitorPage: boolean,
  visitorPageTicket: VisitorPageTicket | undefined,
) {
  headers.append("Vary", "Cookie");
  const url = new URL(request.url);
  const shareable =
    visitorPage &&
    request.method === "GET" &&
    status === 200 &&
    !url.searchParams.has("token") &&
    !headers.has("Set-Cookie");
  if (!shareable) {
    if (!headers.has("Cache-Control")) headers.set("Cache-Control", "private, no-cache");
    headers.set("Content-Length", String(body.length));
    return new Response(body, { headers, status });
  }
  const etag = `W/"${crypto.createHash("sha1").update(body).digest("base64url")}"`;
  headers.set("ETag", etag);
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "public, max-age=0, must-revalidate");
  headers.set("Content-Length", String(body.length));
  // A route that asked for less (private, no-store) is not kept either.
  if (visitorPageTicket && /\bpublic\b/.test(headers.get("Cache-Control") ?? ""))
    visitorPages.keep(visitorPageTicket, { status, headers: [...headers], body, etag });
  if (matchesValidator(request.headers.get("If-None-Match") ?? undefined, etag)) {
    headers.delete("Content-Length");
    return new Response(null, { headers, status: 304 });
  }
  return new Response(body, { headers, status });
}

// Requests whose loaders or actions failed because the database could not be
// reached: handleError sees the real error, before Remix hides it from the page.
const requestsWithoutDatabase = new WeakSet<Request>();

const DATABASE_UNAVAILABLE_PAGE = plainErrorPage(
  "Crosswalk is temporarily unavailable",
  "Crosswalk can't reach its database right now. Nothing you sent was saved: please try again in a minute.",
);

/** A page in place of the error page: a 503 says "try again", which a 500 does not. */
function databaseUnavailableResponse(headers: Headers) {
  headers.set("Content-Type", "text/html; charset=utf-8");
  headers.set("Cache-Control", "no-store");
  headers.set("Retry-After", "30");
  return new Response(DATABASE_UNAVAILABLE_PAGE, { status: 503, headers });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  if (isDatabaseUnavailable(error)) {
    requestsWithoutDatabase.add(request);
    logger.warn({ err: error, url: redactedUrl(request) }, "the database is unavailable");
    return;
  }
  logger.error({ err: error, url: redactedUrl(request) }, "unhandled error in a loader or action");
}

/** Reset tokens travel in query strings; keep them out of the log. */
function redactedUrl(request: Request) {
  return request.url.replace(/([?&]token=)[^&]*/g, "$1[redacted]");
}
