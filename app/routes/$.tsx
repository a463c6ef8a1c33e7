import type { MetaFunction } from "@remix-run/node";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";

export const meta: MetaFunction = () => [{ title: "Page not found · Crosswalk" }];

export function loader() {
  throw new Response("We couldn't find that page. It may have been moved or removed.", {
    status: 404,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

export default function NotFound() {
  return <GeneralErrorBoundary />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
