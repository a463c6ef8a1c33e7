import { pingDatabase } from "~/models/health.server";

export async function loader() {
  const healthy = await pingDatabase();
  return new Response(healthy ? "ok" : "database unavailable", {
    status: healthy ? 200 : 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
