import crypto from "node:crypto";
import { PassThrough, Writable } from "node:stream";
import { createReadableStreamFromReadable, type AppLoadContext, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import type { ReactElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import { logger } from "~/lib/logger.server";

// The Express server (server/index.ts) opens and closes the database through
// the build, so the app and the server share one connection and one lock.
export { startApp, stopApp } from "~/lib/lifecycle.server";
export { pingDatabase } from "~/models/health.server";

export const streamTimeout = 5_000;

/**
 * A visitor's page is plain HTML (no scripts, decision 023): it is rendered
 * whole and sent in one piece with its length and a validator (decision 022).
 * A member's page streams as Remix's template does, its hydration data
 * following the shell.
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext.cspNonce === "string" ? loadContext.cspNonce : undefined;
  const document = (
    <NonceProvider value={nonce}>
      <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
    </NonceProvider>
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  responseHeaders.append("Vary", "Cookie");
  return isVisitorPage(remixContext)
    ? renderWhole(document, nonce, request, responseStatusCode, responseHeaders)
    : renderStreaming(document, nonce, responseStatusCode, responseHeaders);
}

/** A visitor's page is plain HTML (root.tsx): the same bytes for every visitor, with no nonce in them. */
function isVisitorPage(remixContext: EntryContext) {
  const root = remixContext.staticHandlerContext.loaderData.root as { user?: unknown } | undefined;
  return !root?.user;
}

function renderWhole(
  document: ReactElement,
  nonce: string | undefined,
  request: Request,
  status: number,
  headers: Headers,
) {
  return new Promise<Response>((resolve, reject) => {
    const chunks: Buffer[] = [];
    const collector = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
      final(callback) {
        clearTimeout(deadline);
        resolve(visitorPageResponse(request, Buffer.concat(chunks), status, headers));
        callback();
      },
    });
    const { pipe, abort } = renderToPipeableStream(document, {
      nonce,
      onAllReady() {
        pipe(collector);
      },
      onShellError(error: unknown) {
        clearTimeout(deadline);
        reject(error);
      },
      onError(error: unknown) {
        status = 500;
        logger.error({ err: error }, "render error");
      },
    });
    const deadline = setTimeout(abort, streamTimeout + 1_000);
  });
}

/**
 * A visitor's page may be kept by a proxy or a CDN, which must ask again each
 * time (the validator is the page's hash, so "unchanged" costs no bytes).
 */
function visitorPageResponse(request: Request, body: Buffer<ArrayBuffer>, status: number, headers: Headers) {
  const shareable =
    request.method === "GET" && status === 200 && !new URL(request.url).searchParams.has("token");
  if (!shareable) {
    if (!headers.has("Cache-Control")) headers.set("Cache-Control", "private, no-cache");
    headers.set("Content-Length", String(body.length));
    return new Response(body, { headers, status });
  }
  const etag = `W/"${crypto.createHash("sha1").update(body).digest("base64url")}"`;
  headers.set("ETag", etag);
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "public, max-age=0, must-revalidate");
  const known = request.headers.get("If-None-Match");
  if (known && known.split(",").some((tag) => tag.trim() === etag)) {
    return new Response(null, { headers, status: 304 });
  }
  headers.set("Content-Length", String(body.length));
  return new Response(body, { headers, status });
}

/** A member's page is theirs alone: never stored by a shared cache. */
function renderStreaming(
  document: ReactElement,
  nonce: string | undefined,
  status: number,
  headers: Headers,
) {
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "private, no-cache");
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(document, {
      nonce,
      onShellReady() {
        shellRendered = true;
        const body = new PassThrough();
        resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
        pipe(body);
      },
      onShellError(error: unknown) {
        reject(error);
      },
      onError(error: unknown) {
        status = 500;
        // Errors after the shell are reported here; before it, onShellError rejects.
        if (shellRendered) logger.error({ err: error }, "render error");
      },
    });
    setTimeout(abort, streamTimeout + 1_000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // Reset tokens travel in query strings; keep them out of the log.
  const url = request.url.replace(/([?&]token=)[^&]*/g, "$1[redacted]");
  logger.error({ err: error, url }, "unhandled error in a loader or action");
}
