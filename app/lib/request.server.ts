import type { AppLoadContext } from "@remix-run/node";

/** The address rate limits are counted against; "unknown" groups requests that have none. */
export function clientIpOf(context: AppLoadContext): string {
  return typeof context.clientIp === "string" && context.clientIp.length > 0 ? context.clientIp : "unknown";
}

/**
 * The submitted form, with NUL characters taken out of every text value.
 * PostgreSQL cannot store NUL in text, so one in any field turned a write
 * into a server error; nobody types one, so it is dropped rather than refused.
 * Every action reads its form through this (ESLint forbids request.formData()).
 */
export async function readForm(request: Request): Promise<FormData> {
  const submitted = await request.formData();
  const cleaned = new FormData();
  for (const [name, value] of submitted) {
    cleaned.append(
      name.replaceAll("\u0000", ""),
      typeof value === "string" ? value.replaceAll("\u0000", "") : value,
    );
  }
  return cleaned;
}
