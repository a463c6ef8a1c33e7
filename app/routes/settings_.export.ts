import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";
import { invariantResponse } from "~/lib/http.server";
import { exportMemberData } from "~/models/member-data.server";

/** "Download my data" on /settings: the signed-in member's own data as a JSON file. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const exported = await exportMemberData(user.id);
  invariantResponse(exported, "Your account could not be found.", { status: 404 });
  const day = exported.exportedAt.slice(0, 10);
  return new Response(`${JSON.stringify(exported, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="crosswalk-${exported.account.username}-${day}.json"`,
      // Personal data: never kept by a cache, the browser's included.
      "Cache-Control": "no-store",
    },
  });
}
