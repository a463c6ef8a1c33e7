import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";

type Loader<T> = (args: LoaderFunctionArgs) => Promise<T> | T;
type Action<T> = (args: ActionFunctionArgs) => Promise<T> | T;

export const TEST_CLIENT_IP = "203.0.113.1";

type RequestOptions = {
  cookie?: string;
  clientIp?: string;
  params?: Record<string, string>;
  /** More request headers, such as the Sec-Fetch-* a browser sends. */
  headers?: Record<string, string>;
};

function contextFor(options: RequestOptions): AppLoadContext {
  return { cspNonce: "test-nonce", clientIp: options.clientIp ?? TEST_CLIENT_IP };
}

/** Calls a route's loader the way Remix does for a GET of `path`. */
export function callLoader<T>(
  loader: Loader<T>,
  path: string,
  params: Record<string, string> = {},
  options: RequestOptions = {},
): Promise<T> {
  const request = new Request(new URL(path, "http://localhost"), {
    headers: { ...options.headers, ...(options.cookie ? { Cookie: options.cookie } : {}) },
  });
  return Promise.resolve(loader({ request, params, context: contextFor(options) }));
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

export type ActionAnswer<Data = Record<string, unknown>> = {
  status: number;
  headers: Headers;
  /** What the action returned for the page (null for a redirect or a thrown Response). */
  data: Data | null;
  /** The body of a thrown Response (an error page's message). */
  text: string | null;
  location: string | null;
};

type DataWithInit = { type: "DataWithResponseInit"; data: unknown; init: ResponseInit | null };

function isDataWithInit(value: unknown): value is DataWithInit {
  return (
    typeof value === "object" && value !== null && (value as DataWithInit).type === "DataWithResponseInit"
  );
}

async function fromResponse(response: Response): Promise<ActionAnswer<never>> {
  return {
    status: response.status,
    headers: response.headers,
    data: null,
    text: response.status >= 300 && response.status < 400 ? null : await response.text(),
    location: response.headers.get("Location"),
  };
}

/**
 * Submits a form to a route's action the way a browser does (POST,
 * urlencoded), and answers uniformly whether the action returned data,
 * returned a redirect or threw a Response.
 */
export async function submitForm<Data = Record<string, unknown>>(
  action: Action<unknown>,
  path: string,
  fields: Record<string, string | string[]>,
  options: RequestOptions = {},
): Promise<ActionAnswer<Data>> {
  const request = new Request(new URL(path, "http://localhost"), {
    method: "POST",
    // A list sends its name once per value, as a group of ticked checkboxes does.
    body: new URLSearchParams(
      Object.entries(fields).flatMap(([name, value]) =>
        Array.isArray(value) ? value.map((item) => [name, item]) : [[name, value]],
      ),
    ),
    headers: {
      "Content-Type": "application/x-www-form-urlencoded",
      ...(options.cookie ? { Cookie: options.cookie } : {}),
    },
  });
  try {
    const result = await action({ request, params: options.params ?? {}, context: contextFor(options) });
    if (result instanceof Response) return fromResponse(result);
    if (isDataWithInit(result)) {
      return {
        status: result.init?.status ?? 200,
        headers: new Headers(result.init?.headers),
        data: result.data as Data,
        text: null,
        location: null,
      };
    }
    return { status: 200, headers: new Headers(), data: result as Data, text: null, location: null };
  } catch (error) {
    if (error instanceof Response) return fromResponse(error);
    throw error;
  }
}

/** The `name=value` pair a response sets, to send back as a Cookie header. */
export function cookieFrom(answer: { headers: Headers }): string {
  const setCookie = answer.headers.get("Set-Cookie");
  if (!setCookie) throw new Error("The response set no cookie.");
  return setCookie.split(";")[0]!;
}
