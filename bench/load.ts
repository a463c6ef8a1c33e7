/** Drives a server with autocannon and keeps the figures the budgets read. */
import autocannon from "autocannon";

export type Measurement = {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  bytesPerResponse: number;
  /** Answers of 5xx, timeouts and connection errors. */
  errors: number;
  /** Answers outside what the request expects (4xx on a page, anything but a redirect on a post). */
  unexpected: number;
};

export type LoadRequest = {
  path: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  /** For requests that must differ each time (a fresh submission key, another member's cookie). */
  next?: () => { path?: string; body: string; headers?: Record<string, string> };
};

export const CONNECTIONS = 10;

export async function drive(baseUrl: string, request: LoadRequest, durationSeconds: number) {
  const { next } = request;
  const result = await autocannon({
    url: baseUrl,
    connections: CONNECTIONS,
    duration: durationSeconds,
    timeout: 10,
    method: request.method ?? "GET",
    headers: request.headers,
    requests: [
      {
        path: request.path,
        method: request.method ?? "GET",
        ...(next
          ? {
              setupRequest: (original: autocannon.Request) => {
                const { path, body, headers } = next();
                return {
                  ...original,
                  path: path ?? request.path,
                  body,
                  headers: { ...original.headers, ...headers },
                };
              },
            }
          : {}),
      },
    ],
  });
  const answered = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  const expectedRedirect = request.method === "POST";
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytesPerResponse: answered > 0 ? result.throughput.total / answered : 0,
    errors: result["5xx"] + result.errors + result.timeouts,
    unexpected: expectedRedirect ? result["2xx"] + result["4xx"] : result["3xx"] + result["4xx"],
  } satisfies Measurement;
}

export function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The median of each figure over the kept rounds; errors are summed, never averaged away. */
export function summarise(rounds: Measurement[]): Measurement {
  return {
    requestsPerSecond: median(rounds.map((round) => round.requestsPerSecond)),
    p50: median(rounds.map((round) => round.p50)),
    p99: median(rounds.map((round) => round.p99)),
    bytesPerResponse: median(rounds.map((round) => round.bytesPerResponse)),
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    unexpected: rounds.reduce((sum, round) => sum + round.unexpected, 0),
  };
}
