import type { LoaderFunctionArgs } from "@remix-run/node";

type Loader<T> = (args: LoaderFunctionArgs) => Promise<T> | T;

/** Calls a route's loader the way Remix does for a GET of `path`. */
export function callLoader<T>(
  loader: Loader<T>,
  path: string,
  params: Record<string, string> = {},
): Promise<T> {
  const request = new Request(new URL(path, "http://localhost"));
  return Promise.resolve(loader({ request, params, context: { cspNonce: "test-nonce", clientIp: "203.0.113.1" } }));
}

/** The Response a loader or action threw, or a failure if it did not throw one. */
export async function thrownResponse(work: Promise<unknown>): Promise<Response> {
  try {
    await work;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
  throw new Error("Expected a thrown Response, but the call succeeded.");
}
