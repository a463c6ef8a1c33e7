import "@remix-run/node";
import type { VisitorPageTicket } from "~/lib/visitor-pages.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The Content-Security-Policy nonce of this request (server/index.ts). */
    cspNonce: string;
    /** The client's address (from X-Forwarded-For only when TRUST_PROXY says so); keys rate limits. */
    clientIp: string | null;
    /**
     * Set when this request's page may be kept for visitors (a GET without a
     * session cookie, with the cache on): where to keep it, and the forum's
     * state before it was read.
     */
    visitorPageTicket?: VisitorPageTicket;
  }
}
