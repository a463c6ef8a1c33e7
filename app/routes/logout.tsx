import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "~/lib/session.server";

// Log-out is a POST (the header's button); a GET changes nothing.
export function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  return redirect("/", { headers: { "Set-Cookie": await endSession(request) } });
}
