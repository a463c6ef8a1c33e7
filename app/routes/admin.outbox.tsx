import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { requireRole } from "~/lib/auth.server";
import { readEnvironment } from "~/lib/env.server";
import { privatePageMeta } from "~/lib/seo";
import { formatAbsolute } from "~/lib/time";
import { listRecentOutboxMessages, summarizeUndeliveredOutbox } from "~/models/outbox.server";

export const meta: MetaFunction = () => privatePageMeta("Outbox");

/**
 * The mail the forum has sent, newest first, with what is still waiting and
 * why, so stuck mail shows. Without SMTP_URL this is where mail ends up.
 * Admins only, in every mode: it holds other people's reset links.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const [messages, undelivered] = await Promise.all([
    listRecentOutboxMessages(),
    summarizeUndeliveredOutbox(),
  ]);
  return { messages, undelivered, smtpConfigured: Boolean(readEnvironment().SMTP_URL) };
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

/** Why an unsent message is still here and when it is tried next. */
function DeliveryStatus({
  message,
}: {
  message: { attempts: number; lastError: string | null; nextAttemptAt: Date };
}) {
  const next = (
    <time dateTime={message.nextAttemptAt.toISOString()}>{formatAbsolute(message.nextAttemptAt)}</time>
  );
  if (message.attempts === 0)
    return <p className="byline">Not delivered yet: waiting for its first attempt.</p>;
  return (
    <p className="byline">
      Not delivered after {message.attempts} {message.attempts === 1 ? "attempt" : "attempts"}
      {message.lastError ? <>; last error: {message.lastError}</> : null}. Next attempt {next}.
    </p>
  );
}

export default function Outbox() {
  const { messages, undelivered, smtpConfigured } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Outbox</h1>
      <p>
        {smtpConfigured
          ? "Every message the forum has sent, newest first, with its delivery status."
          : "No mail server is configured (SMTP_URL), so the forum's e-mail stays here, newest first."}
      </p>
      {smtpConfigured && undelivered.count > 0 && undelivered.oldest ? (
        <p className="notice" role="status">
          {undelivered.count === 1 ? "1 message is" : `${undelivered.count} messages are`} waiting to be
          delivered, the oldest since{" "}
          <time dateTime={undelivered.oldest.toISOString()}>{formatAbsolute(undelivered.oldest)}</time>.
          Failed messages are tried again, less often each time.
        </p>
      ) : null}
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
                  {smtpConfigured && message.sentAt ? " · delivered" : null}
                </p>
                {smtpConfigured && !message.sentAt ? <DeliveryStatus message={message} /> : null}
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
