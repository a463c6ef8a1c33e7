import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { readForm } from "~/lib/request.server";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Notice } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { RelativeTime } from "~/components/relative-time";
import { requireUser } from "~/lib/auth.server";
import { invariantResponse, parseId } from "~/lib/http.server";
import { privatePageMeta } from "~/lib/seo";
import { blockMember, getIntroduction, unblockMember } from "~/models/partners.server";

export function meta() {
  return privatePageMeta("Introduction");
}

async function loadIntroduction(request: Request, idParameter: string | undefined) {
  const user = await requireUser(request);
  const id = parseId(idParameter);
  invariantResponse(id, "There is no such introduction.", { status: 404 });
  // Only its sender and its recipient learn that it exists.
  const introduction = await getIntroduction(id, user.id);
  invariantResponse(introduction, "There is no such introduction.", { status: 404 });
  return { user, introduction };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, introduction } = await loadIntroduction(request, params.id);
  const searchParams = new URL(request.url).searchParams;
  const done = searchParams.get("done");
  return {
    introduction,
    isRecipient: introduction.recipient.id === user.id,
    sent: searchParams.get("sent") === "1",
    done: done === "blocked" || done === "unblocked" ? done : null,
    now: new Date(),
  };
}

const intentSchema = z.enum(["block", "unblock"]);

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = parseId(params.id);
  invariantResponse(id, "There is no such introduction.", { status: 404 });
  const introduction = await getIntroduction(id, user.id);
  // Anyone but the recipient is refused alike, so the answer says nothing about who sent what.
  invariantResponse(
    introduction && introduction.recipient.id === user.id,
    "Only the member who received an introduction can block its sender.",
    { status: 403 },
  );
  const intent = intentSchema.safeParse((await readForm(request)).get("intent"));
  invariantResponse(intent.success, "Unknown action.", { status: 400 });
  if (intent.data === "block") await blockMember(user.id, introduction.sender.id);
  else await unblockMember(user.id, introduction.sender.id);
  return redirect(`/introductions/${id}?done=${intent.data === "block" ? "blocked" : "unblocked"}`);
}

export default function Introduction() {
  const { introduction, isRecipient, sent, done, now } = useLoaderData<typeof loader>();
  const { sender, recipient } = introduction;
  const submitting = useNavigation().state === "submitting";
  const paragraphs = introduction.message.split(/\n\s*\n/);
  return (
    <div className="composer">
      <h1>
        {isRecipient
          ? `${sender.displayName} introduced themselves`
          : `Your introduction to ${recipient.displayName}`}
      </h1>
      {sent ? <Notice>Your introduction has been sent to {recipient.displayName}.</Notice> : null}
      {done === "blocked" ? (
        <Notice>
          {sender.displayName} can no longer introduce themselves to you, and you no longer see each other in
          Find a partner library.
        </Notice>
      ) : null}
      {done === "unblocked" ? <Notice>{sender.displayName} is no longer blocked.</Notice> : null}
      <p className="byline">
        From <Link to={`/u/${sender.username}`}>{sender.displayName}</Link> to{" "}
        <Link to={`/u/${recipient.username}`}>{recipient.displayName}</Link>,{" "}
        <RelativeTime date={introduction.createdAt} now={now} />
      </p>
      {/* Plain text, never markdown or HTML: React escapes it. */}
      <blockquote>
        {paragraphs.map((paragraph, index) => (
          <p key={index}>
            {paragraph.split("\n").map((line, lineIndex) => (
              <span key={lineIndex}>
                {lineIndex > 0 ? <br /> : null}
                {line}
              </span>
            ))}
          </p>
        ))}
      </blockquote>

      {isRecipient ? (
        <>
          <p>
            Crosswalk never shares e-mail addresses. To answer, introduce yourself back, or reply to one of{" "}
            {sender.displayName}&rsquo;s posts.
          </p>
          {introduction.senderBlocked ? null : (
            <p>
              <Link to={`/partners/${sender.username}/introduce`} className="button">
                Introduce yourself back
              </Link>
            </p>
          )}
          <Form method="post">
            {introduction.senderBlocked ? (
              <button
                type="submit"
                name="intent"
                value="unblock"
                className="button--secondary"
                disabled={submitting}
              >
                Unblock {sender.displayName}
              </button>
            ) : (
              <button
                type="submit"
                name="intent"
                value="block"
                className="button--danger"
                disabled={submitting}
              >
                Block {sender.displayName}
              </button>
            )}
          </Form>
          <p className="field__hint">
            {introduction.senderBlocked
              ? `Unblocking lets ${sender.displayName} introduce themselves again.`
              : `Blocking stops ${sender.displayName} introducing themselves to you and hides you from each other in Find a partner library. They are not told.`}
          </p>
        </>
      ) : (
        <p>
          <Link to="/partners">Back to Find a partner library</Link>
        </p>
      )}
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
