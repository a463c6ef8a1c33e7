import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { requireRole } from "~/lib/auth.server";
import { readEnvironment } from "~/lib/env.server";
import { formatAbsolute } from "~/lib/time";
import { listRecentOutboxMessages } from "~/models/outbox.server";

export const meta: MetaFunction = () => [{ title: "Outbox · Crosswalk" }];

/**
 * The mail the forum has sent, newest first. Without SMTP_URL this is where
 * mail ends up. Admins only, in every mode: it holds other people's reset links.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return { messages: await listRecentOutboxMessages(), smtpConfigured: Boolean(readEnvironment().SMTP_URL) };
}

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** Plain text with its web addresses made clickable. */
function LinkedText({ text }: { text: string }) {
  return (
    <>
      {text.split(URL_PATTERN).map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part}>
            {part}
          </a>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </>
  );
}

export default function Outbox() {
  const { messages, smtpConfigured } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Outbox</h1>
      <p>
        {smtpConfigured
          ? "Every message the forum has sent, newest first, with its delivery status."
          : "No mail server is configured (SMTP_URL), so the forum's e-mail stays here, newest first."}
      </p>
      {messages.length === 0 ? (
        <p className="empty">No e-mail yet.</p>
      ) : (
        <ol className="post-list">
          {messages.map((message) => (
            <li key={message.id}>
              <article className="outbox-message" aria-labelledby={`message-${message.id}`}>
                <h2 id={`message-${message.id}`}>{message.subject}</h2>
                <p className="byline">
                  To {message.toAddress} ·{" "}
                  <time dateTime={message.createdAt.toISOString()}>{formatAbsolute(message.createdAt)}</time>
                  {smtpConfigured
                    ? ` · ${message.sentAt ? "delivered" : `not delivered${message.lastError ? `: ${message.lastError}` : ""}`}`
                    : null}
                </p>
                <pre>
                  <LinkedText text={message.textBody} />
                </pre>
              </article>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
