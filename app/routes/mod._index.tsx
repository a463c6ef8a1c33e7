import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/lib/request.server";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { FormError, Notice, TextField, useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { ModerationDashboard } from "~/components/moderation-dashboard";
import { RelativeTime } from "~/components/relative-time";
import { requireRole } from "~/lib/auth.server";
import { invariantResponse, parseId } from "~/lib/http.server";
import { libraryTypeLabels } from "~/lib/library-types";
import { privatePageMeta } from "~/lib/seo";
import { formatDay } from "~/lib/time";
import { formValues, type FieldErrors } from "~/lib/validation";
import { countOpenFlags, listOpenFlags, resolveFlags } from "~/models/flags.server";
import {
  countPendingItems,
  decide,
  listPendingItems,
  type Decision,
  type QueueItemRef,
} from "~/models/moderation.server";
import { getModerationStats } from "~/models/moderation-stats.server";
import { commentPath } from "~/lib/thread-links";

export const meta: MetaFunction = () => privatePageMeta("Moderation queue");

const QUEUE_PAGE_SIZE = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "moderator");
  const [items, waiting, flagged, openFlags, stats] = await Promise.all([
    listPendingItems(QUEUE_PAGE_SIZE),
    countPendingItems(),
    listOpenFlags(QUEUE_PAGE_SIZE),
    countOpenFlags(),
    getModerationStats(),
  ]);
  return { items, waiting, flagged, openFlags, stats, now: new Date() };
}

const REASON_MAX = 500;
const REASON_REQUIRED = "Give the author a reason.";
const ALREADY_HANDLED = "Someone else already handled this item.";

const kindField = z.enum(["post", "comment"]);
const idField = z.string().transform((value, context) => {
  const id = parseId(value);
  if (id === null) {
    context.addIssue({ code: "custom", message: "That item is not in the queue." });
    return z.NEVER;
  }
  return id;
});
const itemField = z.string().transform((value, context): QueueItemRef => {
  const match = /^(post|comment):(\d+)$/.exec(value);
  const id = parseId(match?.[2]);
  if (!match || id === null) {
    context.addIssue({ code: "custom", message: "That item is not in the queue." });
    return z.NEVER;
  }
  return { kind: match[1] === "post" ? "post" : "comment", id };
});
const itemsField = z
  .array(itemField)
  .min(1, "Select at least one item first.")
  .max(QUEUE_PAGE_SIZE, `Select at most ${QUEUE_PAGE_SIZE} items at a time.`);
const optionalReason = z
  .string()
  .trim()
  .max(REASON_MAX, `Keep the reason to ${REASON_MAX} characters.`)
  .default("");
// A rejection is explained to its author: the reason is the message they receive.
const requiredReason = z
  .string({ error: REASON_REQUIRED })
  .trim()
  .min(1, REASON_REQUIRED)
  .max(REASON_MAX, `Keep the reason to ${REASON_MAX} characters.`);

const queueActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve"), kind: kindField, id: idField, reason: optionalReason }),
  z.object({ intent: z.literal("reject"), kind: kindField, id: idField, reason: requiredReason }),
  z.object({ intent: z.literal("spam"), kind: kindField, id: idField, reason: optionalReason }),
  z.object({ intent: z.literal("bulk-approve"), items: itemsField, reason: optionalReason }),
  z.object({ intent: z.literal("bulk-reject"), items: itemsField, reason: requiredReason }),
  z.object({ intent: z.literal("bulk-spam"), items: itemsField, reason: optionalReason }),
  z.object({ intent: z.literal("flag-keep"), kind: kindField, id: idField, reason: optionalReason }),
  z.object({ intent: z.literal("flag-remove"), kind: kindField, id: idField, reason: optionalReason }),
]);

/** What the queue shows after a decision: a confirmation, a conflict, or the refused form. */
type QueueAnswer =
  | { outcome: "done" | "conflict"; message: string }
  | {
      outcome: "refused";
      /** "post:12", "comment:5", "flag:post:12" for a flagged item's form, or "bulk" for the form over the list. */
      target: string;
      errors: FieldErrors;
      values: { reason: string; items: string[] };
    };

const singleMessages: Record<Decision, string> = {
  approve: "Approved.",
  reject: "Rejected. The author has been sent your reason.",
  spam: "Marked as spam.",
};

const bulkVerbs: Record<Decision, string> = {
  approve: "approved",
  reject: "rejected",
  spam: "marked as spam",
};

function bulkMessage(decision: Decision, applied: number, handled: number) {
  const done = `${applied === 0 ? "No" : applied} ${applied === 1 ? "item" : "items"} ${bulkVerbs[decision]}.`;
  if (handled === 0) return done;
  return `${done} ${handled} ${handled === 1 ? "was" : "were"} already handled by someone else.`;
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "moderator");
  const formData = await readForm(request);
  const values = formValues(formData);
  const items = formData.getAll("items").filter((value) => typeof value === "string");
  const parsed = queueActionSchema.safeParse({ ...values, items });
  if (!parsed.success) {
    const issues = parsed.error.issues;
    invariantResponse(!issues.some((issue) => issue.path[0] === "intent"), "Unknown action.");
    // Hidden fields and checkbox values the page never makes: not something a person can fix.
    invariantResponse(
      !issues.some(
        (issue) =>
          issue.path[0] === "kind" ||
          issue.path[0] === "id" ||
          (issue.path[0] === "items" && issue.path.length > 1),
      ),
      "That item is not in the queue.",
    );
    const bulk = values.intent?.startsWith("bulk-") ?? false;
    const flag = values.intent?.startsWith("flag-") ?? false;
    return data<QueueAnswer>(
      {
        outcome: "refused",
        target: bulk ? "bulk" : `${flag ? "flag:" : ""}${values.kind}:${values.id}`,
        errors: z.flattenError(parsed.error).fieldErrors as FieldErrors,
        values: { reason: values.reason ?? "", items },
      },
      { status: 400 },
    );
  }

  const submission = parsed.data;
  if ("items" in submission) {
    const decision = submission.intent.slice("bulk-".length) as Decision;
    const unique = new Map(submission.items.map((item) => [`${item.kind}:${item.id}`, item]));
    let applied = 0;
    let handled = 0;
    for (const item of unique.values()) {
      const result = await decide(item, decision, user.id, submission.reason);
      if (result.ok) applied++;
      else handled++;
    }
    return data<QueueAnswer>({ outcome: "done", message: bulkMessage(decision, applied, handled) });
  }

  if (submission.intent === "flag-keep" || submission.intent === "flag-remove") {
    const outcome = submission.intent === "flag-keep" ? "keep" : "remove";
    const result = await resolveFlags({
      target: { kind: submission.kind, id: submission.id },
      outcome,
      moderatorId: user.id,
      reason: submission.reason,
    });
    if (!result.ok)
      return data<QueueAnswer>({ outcome: "conflict", message: ALREADY_HANDLED }, { status: 409 });
    const message =
      outcome === "remove"
        ? "Removed. The author has been told why."
        : result.restored
          ? "Kept, and shown again. Its flags are closed."
          : "Kept. Its flags are closed.";
    return data<QueueAnswer>({ outcome: "done", message });
  }

  const result = await decide(
    { kind: submission.kind, id: submission.id },
    submission.intent,
    user.id,
    submission.reason,
  );
  if (!result.ok)
    return data<QueueAnswer>({ outcome: "conflict", message: ALREADY_HANDLED }, { status: 409 });
  return data<QueueAnswer>({ outcome: "done", message: singleMessages[submission.intent] });
}

type Item = ReturnType<typeof useLoaderData<typeof loader>>["items"][number];

export default function ModerationQueue() {
  const { items, waiting, flagged, openFlags, stats, now } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const formKey = useFormKey(answer);
  const busy = useNavigation().state === "submitting";
  const outcomeRef = useRef<HTMLDivElement>(null);
  // The item just handled leaves the page, and keyboard focus with it: send focus to the outcome.
  useEffect(() => {
    if (answer && answer.outcome !== "refused") outcomeRef.current?.focus();
  }, [answer]);

  const refusal = answer?.outcome === "refused" ? answer : null;
  const refusalFor = (target: string) => (refusal?.target === target ? refusal : null);
  const bulkRefusal = refusalFor("bulk");

  return (
    <div className="moderation">
      <h1>Moderation queue</h1>
      <p className="moderation__summary">
        {waiting === 1 ? "1 item waiting" : `${waiting} items waiting`}
        {waiting > items.length ? `, the oldest ${items.length} shown` : null} ·{" "}
        {openFlags.flags === 1 ? "1 open flag" : `${openFlags.flags} open flags`}
        {openFlags.flags > 0
          ? ` on ${openFlags.items === 1 ? "1 item" : `${openFlags.items} items`}`
          : null}{" "}
        · <Link to="/mod/log">Moderation log</Link> · <Link to="/mod/users">Members</Link>
      </p>
      <div ref={outcomeRef} tabIndex={-1} className="moderation__outcome">
        {answer?.outcome === "done" ? <Notice>{answer.message}</Notice> : null}
        {answer?.outcome === "conflict" ? <FormError message={answer.message} /> : null}
      </div>

      {items.length === 0 ? (
        <p className="empty">Nothing is waiting. Well done.</p>
      ) : (
        <>
          <section className="bulk-actions" aria-labelledby="bulk-heading">
            <h2 id="bulk-heading">Act on selected items</h2>
            <p className="field__hint">
              Tick Select on the items below, then choose what to do with all of them.
            </p>
            <Form method="post" id="bulk-moderation" noValidate key={formKey}>
              <TextField
                id="reason-bulk"
                label="Reason"
                name="reason"
                autoComplete="off"
                maxLength={REASON_MAX}
                hint="Sent to each author. Needed to reject."
                defaultValue={bulkRefusal?.values.reason ?? ""}
                errors={bulkRefusal?.errors.reason}
              />
              {bulkRefusal?.errors.items ? (
                <p className="field__error" role="alert">
                  {bulkRefusal.errors.items.join(" ")}
                </p>
              ) : null}
              <div className="decision-buttons">
                <button type="submit" name="intent" value="bulk-approve" disabled={busy}>
                  Approve selected
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="bulk-reject"
                  className="button--secondary"
                  disabled={busy}
                >
                  Reject selected
                </button>
                <button
                  type="submit"
                  name="intent"
                  value="bulk-spam"
                  className="button--spam"
                  disabled={busy}
                >
                  Spam selected
                </button>
              </div>
            </Form>
          </section>

          <ol className="queue" aria-label="Waiting items, oldest first">
            {items.map((item) => {
              const target = `${item.kind}:${item.id}`;
              return (
                <li key={target}>
                  <QueueItem
                    item={item}
                    now={now}
                    formKey={formKey}
                    busy={busy}
                    refusal={refusalFor(target)}
                    selected={bulkRefusal?.values.items.includes(target) ?? false}
                  />
                </li>
              );
            })}
          </ol>
        </>
      )}

      <section className="flagged" aria-labelledby="flagged-heading">
        <h2 id="flagged-heading">Flagged</h2>
        {flagged.length === 0 ? (
          <p className="empty">No open flags.</p>
        ) : (
          <ol className="queue" aria-label="Flagged items, flagged longest ago first">
            {flagged.map((item) => {
              const target = `flag:${item.kind}:${item.id}`;
              return (
                <li key={target}>
                  <FlaggedItemView
                    item={item}
                    now={now}
                    formKey={formKey}
                    busy={busy}
                    refusal={refusalFor(target)}
                  />
                </li>
              );
            })}
          </ol>
        )}
      </section>
      <ModerationDashboard stats={stats} />
    </div>
  );
}

function QueueItem({
  item,
  now,
  formKey,
  busy,
  refusal,
  selected,
}: {
  item: Item;
  now: Date;
  formKey: number;
  busy: boolean;
  refusal: Extract<QueueAnswer, { outcome: "refused" }> | null;
  selected: boolean;
}) {
  const slug = `${item.kind}-${item.id}`;
  const headingId = `item-${slug}`;
  const threadPath = `/posts/${item.postId}/${item.postSlug}`;
  return (
    <article className="queue-item" aria-labelledby={headingId}>
      <div className="queue-item__select">
        <input
          type="checkbox"
          id={`select-${slug}`}
          name="items"
          value={`${item.kind}:${item.id}`}
          form="bulk-moderation"
          aria-describedby={headingId}
          defaultChecked={selected}
          key={formKey}
        />
        <label htmlFor={`select-${slug}`}>Select</label>
      </div>
      <h2 id={headingId} className="queue-item__title">
        {item.kind === "post" ? (
          <>
            Post: <Link to={threadPath}>{item.title}</Link>
          </>
        ) : (
          <>
            Comment on <Link to={threadPath}>{item.postTitle}</Link>
          </>
        )}
      </h2>
      <p className="byline">
        By <Link to={`/u/${item.authorUsername}`}>{item.authorDisplayName}</Link> ·{" "}
        {libraryTypeLabels[item.authorLibraryType]} · <RelativeTime date={item.createdAt} now={now} />
      </p>
      <p className="queue-item__history">
        {item.authorApprovedCount} approved, {item.authorRejectedCount} rejected, member since{" "}
        <time dateTime={item.authorSince.toISOString()}>{formatDay(item.authorSince)}</time>
      </p>
      {item.kind === "comment" && item.parentId !== null ? (
        <div className="queue-item__parent">
          <p className="queue-item__parent-label">
            In reply to {item.parentAuthorDisplayName ?? "a comment"}:
          </p>
          {item.parentBodyHtml ? (
            // Stored HTML from renderMarkdown, sanitized when it was saved.
            <blockquote className="prose" dangerouslySetInnerHTML={{ __html: item.parentBodyHtml }} />
          ) : (
            <p className="empty">That comment has since been deleted.</p>
          )}
        </div>
      ) : null}
      {item.heldReason ? (
        // The author published this despite the privacy check's warning: say what to look at.
        <p className="notice queue-item__held-reason">
          <strong>Held by the privacy check:</strong> {item.heldReason.replace(/^Privacy check: /, "")}
        </p>
      ) : null}
      {/* Stored HTML from renderMarkdown, sanitized when it was saved. */}
      <div className="prose queue-item__body" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
      <Form method="post" noValidate key={formKey} className="queue-item__decision">
        <input type="hidden" name="kind" value={item.kind} />
        <input type="hidden" name="id" value={item.id} />
        <TextField
          id={`reason-${slug}`}
          label="Reason"
          name="reason"
          autoComplete="off"
          maxLength={REASON_MAX}
          hint="Sent to the author. Needed to reject."
          defaultValue={refusal?.values.reason ?? ""}
          errors={refusal?.errors.reason}
        />
        <div className="decision-buttons">
          <button type="submit" name="intent" value="approve" aria-describedby={headingId} disabled={busy}>
            Approve
          </button>
          <button
            type="submit"
            name="intent"
            value="reject"
            className="button--secondary"
            aria-describedby={headingId}
            disabled={busy}
          >
            Reject
          </button>
          <button
            type="submit"
            name="intent"
            value="spam"
            className="button--spam"
            aria-describedby={headingId}
            disabled={busy}
          >
            Spam
          </button>
        </div>
      </Form>
    </article>
  );
}

type Flagged = ReturnType<typeof useLoaderData<typeof loader>>["flagged"][number];

function FlaggedItemView({
  item,
  now,
  formKey,
  busy,
  refusal,
}: {
  item: Flagged;
  now: Date;
  formKey: number;
  busy: boolean;
  refusal: Extract<QueueAnswer, { outcome: "refused" }> | null;
}) {
  const slug = `${item.kind}-${item.id}`;
  const headingId = `flagged-${slug}`;
  const threadPath = `/posts/${item.postId}/${item.postSlug}`;
  return (
    <article className="queue-item" aria-labelledby={headingId}>
      <h3 id={headingId} className="queue-item__title">
        {item.kind === "post" ? (
          <>
            Post: <Link to={threadPath}>{item.postTitle}</Link>
          </>
        ) : (
          <>
            Comment on <Link to={commentPath(threadPath, item.id)}>{item.postTitle}</Link>
          </>
        )}
      </h3>
      <p className="byline">
        By <Link to={`/u/${item.authorUsername}`}>{item.authorDisplayName}</Link> ·{" "}
        <RelativeTime date={item.createdAt} now={now} />
        {item.hidden ? " · Hidden until reviewed" : null}
      </p>
      {/* Stored HTML from renderMarkdown, sanitized when it was saved. */}
      <div className="prose queue-item__body" dangerouslySetInnerHTML={{ __html: item.bodyHtml }} />
      <ul
        className="flag-list"
        aria-label={item.flags.length === 1 ? "1 flag" : `${item.flags.length} flags`}
      >
        {item.flags.map((flag) => (
          <li key={flag.id}>
            <strong>{flag.reasonLabel}</strong>, from{" "}
            <Link to={`/u/${flag.flaggerUsername}`}>{flag.flaggerDisplayName}</Link>,{" "}
            <RelativeTime date={flag.createdAt} now={now} />
            {flag.note ? `: ${flag.note}` : null}
          </li>
        ))}
      </ul>
      <Form method="post" noValidate key={formKey} className="queue-item__decision">
        <input type="hidden" name="kind" value={item.kind} />
        <input type="hidden" name="id" value={item.id} />
        <TextField
          id={`flag-reason-${slug}`}
          label="Reason"
          name="reason"
          autoComplete="off"
          maxLength={REASON_MAX}
          hint="Logged, and sent to the author if you remove it."
          defaultValue={refusal?.values.reason ?? ""}
          errors={refusal?.errors.reason}
        />
        <div className="decision-buttons">
          <button type="submit" name="intent" value="flag-keep" aria-describedby={headingId} disabled={busy}>
            Keep
          </button>
          <button
            type="submit"
            name="intent"
            value="flag-remove"
            className="button--spam"
            aria-describedby={headingId}
            disabled={busy}
          >
            Remove
          </button>
        </div>
      </Form>
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
