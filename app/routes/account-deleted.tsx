import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { privatePageMeta } from "~/lib/seo";

export const meta: MetaFunction = () => privatePageMeta("Your account has been deleted");

/** Where deleting an account on /settings lands; it reads only what the address says. */
export function loader({ request }: LoaderFunctionArgs) {
  const content = new URL(request.url).searchParams.get("content");
  return { contentRemoved: content === "removed" };
}

export default function AccountDeleted() {
  const { contentRemoved } = useLoaderData<typeof loader>();
  return (
    <div className="auth-form">
      <h1>Your account has been deleted</h1>
      <p role="status">
        {contentRemoved
          ? "Your posts and replies have been removed from the forum."
          : "Your posts and replies stay in their threads, shown as by “Deleted member”."}{" "}
        Your e-mail address, password, profile and settings are gone, and you have been logged out everywhere.
      </p>
      <p>
        <Link to="/">Back to the latest discussions</Link>
      </p>
    </div>
  );
}
