import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The Content-Security-Policy nonce of this request (server/index.ts). */
    cspNonce: string;
    /** The client's address (from X-Forwarded-For only when TRUST_PROXY says so); keys rate limits. */
    clientIp: string | null;
  }
}
