import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Notice } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { invariantResponse } from "~/lib/http.server";
import { privatePageMeta } from "~/lib/seo";
import { unsubscribeScopeLabel, verifyUnsubscribeScope } from "~/lib/unsubscribe.server";
import { setEmailPreference, stopDigestEmails } from "~/models/email-preferences.server";

export const meta: MetaFunction = () => privatePageMeta("Unsubscribe");

const INVALID_LINK =
  "This unsubscribe link is not valid. Copy the whole link from the e-mail, or log in and choose which e-mails you get in your settings.";

const tokenSchema = z.string().min(1).max(200);

/**
 * The link itself is the authority: it names one member and one topic (or
 * digest) and is signed, so no session is needed (see unsubscribe.server.ts).
 * It comes from the query string for the page and for the POST alike, as
 * RFC 8058 one-click requires.
 */
function readToken(request: Request) {
  const parsed = tokenSchema.safeParse(new URL(request.url).searchParams.get("token"));
  invariantResponse(parsed.success, INVALID_LINK, { status: 400 });
  const verified = verifyUnsubscribeScope(parsed.data);
  invariantResponse(verified, INVALID_LINK, { status: 400 });
  return { token: parsed.data, ...verified };
}

// Only asks: mail scanners open every link in a message, and must not unsubscribe anyone.
export async function loader({ request }: LoaderFunctionArgs) {
  const { token, scope } = readToken(request);
  return { token, label: unsubscribeScopeLabel(scope) };
}

/**
 * The page's button, and the one-click POST (`List-Unsubscribe=One-Click`)
 * that mail providers send without cookies or an Origin; the body adds nothing.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { userId, scope } = readToken(request);
  const found =
    scope === "daily-digest" || scope === "weekly-digest"
      ? (await stopDigestEmails(userId, scope === "daily-digest" ? "daily" : "weekly")) !== null
      : await setEmailPreference(userId, scope, "never");
  invariantResponse(found, "This account no longer exists, so Crosswalk sends it no e-mail.", {
    status: 404,
  });
  return { label: unsubscribeScopeLabel(scope) };
}

export default function Unsubscribe() {
  const { token, label } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const submitting = useNavigation().state === "submitting";

  if (actionData) {
    return (
      <div className="auth-form">
        <h1>Unsubscribed</h1>
        <Notice>You will no longer get e-mails about {actionData.label}.</Notice>
        <p>
          To change this or choose other e-mails, go to <Link to="/settings">your settings</Link>.
        </p>
      </div>
    );
  }
  return (
    <div className="auth-form">
      <h1>Stop e-mails about {label}?</h1>
      <p>Your other e-mails and your notifications on the site stay as they are.</p>
      <Form method="post" action={`/unsubscribe?${new URLSearchParams({ token })}`}>
        <button type="submit" disabled={submitting}>
          Unsubscribe
        </button>
      </Form>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
