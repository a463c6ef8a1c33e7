import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The Content-Security-Policy nonce of this request (server/index.ts). */
    cspNonce: string;
  }
}
