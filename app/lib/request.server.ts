import type { AppLoadContext } from "@remix-run/node";

/** The address rate limits are counted against; "unknown" groups requests that have none. */
export function clientIpOf(context: AppLoadContext): string {
  return typeof context.clientIp === "string" && context.clientIp.length > 0 ? context.clientIp : "unknown";
}
