import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { readForm } from "~/lib/request.server";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { CheckboxField, FormError, Notice, SelectField, TextField, useFormKey } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { Pager } from "~/components/pager";
import { userRole, userStatus, type UserRole } from "~/db/schema";
import { requireRole } from "~/lib/auth.server";
import { invariantResponse, parseId } from "~/lib/http.server";
import { libraryTypeLabels } from "~/lib/library-types";
import { hasRole } from "~/lib/permissions";
import { privatePageMeta } from "~/lib/seo";
import { formatAbsolute, formatDay } from "~/lib/time";
import { formValues, type FieldErrors } from "~/lib/validation";
import {
  banMember,
  canChangeRole,
  canModerateMember,
  changeRole,
  isMemberCursor,
  restoreMember,
  searchMembers,
  suspendMember,
  type MemberActionResult,
  type MemberRow,
  type MemberStatus,
} from "~/models/members.server";

export const meta: MetaFunction = () => privatePageMeta("Members");

const QUERY_MAX = 100;
const REASON_MAX = 500;

const roleLabels: Record<UserRole, string> = { member: "Member", moderator: "Moderator", admin: "Admin" };
const statusLabels: Record<MemberStatus, string> = {
  active: "Active",
  suspended: "Suspended",
  banned: "Banned",
};

// "@Dev" finds dev-patel: people write usernames with the @ they see.
const searchSchema = z.object({
  q: z
    .string()
    .trim()
    .max(QUERY_MAX, `Keep the search to ${QUERY_MAX} characters.`)
    .transform((value) => value.replace(/^@/, ""))
    .default(""),
  status: z
    .union([z.literal(""), z.enum(userStatus.enumValues)], { error: "Choose a status from the list." })
    .default(""),
});

type MembersPage = {
  viewerId: number;
  search: { q: string; status: string };
  errors: FieldErrors;
  members: (MemberRow & { canModerate: boolean; canChangeRole: boolean })[];
  nextCursor: string | null;
  isFirstPage: boolean;
  now: Date;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireRole(request, "moderator");
  const searchParams = new URL(request.url).searchParams;
  const cursor = searchParams.get("cursor");
  invariantResponse(
    cursor === null || isMemberCursor(cursor),
    "That page link is not valid. Start again from the first page.",
  );
  const submitted = {
    q: searchParams.get("q") ?? undefined,
    status: searchParams.get("status") ?? undefined,
  };
  const page = { viewerId: viewer.id, isFirstPage: cursor === null, now: new Date() };
  const parsed = searchSchema.safeParse(submitted);
  if (!parsed.success) {
    return data<MembersPage>(
      {
        ...page,
        search: { q: submitted.q ?? "", status: submitted.status ?? "" },
        errors: z.flattenError(parsed.error).fieldErrors as FieldErrors,
        members: [],
        nextCursor: null,
      },
      { status: 400 },
    );
  }

  const { q, status } = parsed.data;
  const { members, nextCursor } = await searchMembers({ query: q, status: status || undefined, cursor });
  return data<MembersPage>({
    ...page,
    search: { q, status },
    errors: {},
    members: members.map((member) => ({
      ...member,
      canModerate: canModerateMember(viewer, member),
      canChangeRole: canChangeRole(viewer, member),
    })),
    nextCursor,
  });
}

const userIdField = z.string().transform((value, context) => {
  const id = parseId(value);
  if (id === null) {
    context.addIssue({ code: "custom", message: "That member does not exist." });
    return z.NEVER;
  }
  return id;
});

// The member reads this reason when they try to log in.
const REASON_REQUIRED = "Give a reason; the member sees it when they try to log in.";
const requiredReason = z
  .string({ error: REASON_REQUIRED })
  .trim()
  .min(1, REASON_REQUIRED)
  .max(REASON_MAX, `Keep the reason to ${REASON_MAX} characters.`);
const optionalReason = z
  .string()
  .trim()
  .max(REASON_MAX, `Keep the reason to ${REASON_MAX} characters.`)
  .default("");

const UNTIL_IN_PAST = "Choose a day after today, or leave the date empty to suspend until restored.";

/** A suspension ends at the start (00:00 UTC) of the chosen day; empty means until restored. */
const untilField = z
  .string()
  .optional()
  .transform((value, context) => {
    if (!value) return null;
    const until = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00.000Z`) : null;
    if (!until || Number.isNaN(until.getTime()) || until.toISOString().slice(0, 10) !== value) {
      context.addIssue({ code: "custom", message: "Enter a date like 2030-05-31." });
      return z.NEVER;
    }
    if (until.getTime() <= Date.now()) {
      context.addIssue({ code: "custom", message: UNTIL_IN_PAST });
      return z.NEVER;
    }
    return until;
  });

const memberActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("suspend"), userId: userIdField, reason: requiredReason, until: untilField }),
  z.object({
    intent: z.literal("ban"),
    userId: userIdField,
    reason: requiredReason,
    removeContent: z
      .literal("on")
      .optional()
      .transform((value) => value === "on"),
  }),
  z.object({ intent: z.literal("restore"), userId: userIdField, reason: optionalReason }),
  z.object({
    intent: z.literal("change-role"),
    userId: userIdField,
    role: z.enum(userRole.enumValues, { error: "Choose Member, Moderator or Admin." }),
  }),
]);

type MemberAnswer =
  | { outcome: "done" | "conflict"; message: string }
  | {
      outcome: "invalid";
      intent: string;
      userId: string;
      errors: FieldErrors;
      values: { reason: string; until: string; removeContent: boolean; role: string };
    };

function forbidden(message: string): never {
  throw new Response(message, { status: 403, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}

type Intent = z.infer<typeof memberActionSchema>["intent"];

/** What a refusal means to the moderator: a thrown 403/404, or a conflict to show on the page. */
function answerRefusal(intent: Intent, result: Extract<MemberActionResult, { ok: false }>) {
  const roleChange = intent === "change-role";
  switch (result.reason) {
    case "not-found":
      throw new Response("That member does not exist.", {
        status: 404,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
    case "self":
      return forbidden(
        roleChange
          ? "You can't change your own role."
          : "You can't suspend, ban or restore your own account.",
      );
    case "forbidden":
      if (roleChange) return forbidden("Only admins may change roles.");
      if (result.member?.role === "admin") return forbidden("Nobody may suspend, ban or restore an admin.");
      if (result.member?.role === "moderator")
        return forbidden("Only admins may suspend, ban or restore a moderator.");
      return forbidden("Only moderators and admins may do that.");
    case "already-active":
      return data<MemberAnswer>(
        { outcome: "conflict", message: `${result.member?.displayName} is not suspended or banned.` },
        { status: 409 },
      );
    case "same-role":
      return data<MemberAnswer>(
        {
          outcome: "conflict",
          message: `${result.member?.displayName} is already ${article(result.member?.role)}.`,
        },
        { status: 409 },
      );
    case "until-in-past":
      // The form's own check comes first; this is the model agreeing.
      throw new Response(UNTIL_IN_PAST, {
        status: 400,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
  }
}

function article(role: UserRole | undefined) {
  const label = roleLabels[role ?? "member"];
  return `${role === "admin" ? "an" : "a"} ${label}`;
}

export async function action({ request }: ActionFunctionArgs) {
  const moderator = await requireRole(request, "moderator");
  const values = formValues(await readForm(request));
  const kept = {
    reason: values.reason ?? "",
    until: values.until ?? "",
    removeContent: values.removeContent === "on",
    role: values.role ?? "",
  };
  const invalid = (errors: FieldErrors) =>
    data<MemberAnswer>(
      { outcome: "invalid", intent: values.intent ?? "", userId: values.userId ?? "", errors, values: kept },
      { status: 400 },
    );

  const parsed = memberActionSchema.safeParse(values);
  if (!parsed.success) {
    const issues = parsed.error.issues;
    invariantResponse(!issues.some((issue) => issue.path[0] === "intent"), "Unknown action.");
    // A hidden field the page never gets wrong: nothing a person can fix.
    invariantResponse(!issues.some((issue) => issue.path[0] === "userId"), "That member does not exist.");
    return invalid(z.flattenError(parsed.error).fieldErrors as FieldErrors);
  }

  const submission = parsed.data;
  if (submission.intent === "change-role" && !hasRole(moderator, "admin"))
    forbidden("Only admins may change roles.");

  switch (submission.intent) {
    case "suspend": {
      const result = await suspendMember({
        userId: submission.userId,
        moderatorId: moderator.id,
        reason: submission.reason,
        until: submission.until,
      });
      if (!result.ok) {
        if (result.reason === "until-in-past") return invalid({ until: [UNTIL_IN_PAST] });
        return answerRefusal(submission.intent, result);
      }
      const name = result.member.displayName;
      return data<MemberAnswer>({
        outcome: "done",
        message: submission.until
          ? `${name} is suspended until ${formatAbsolute(submission.until)}. Their sessions have ended.`
          : `${name} is suspended until a moderator restores them. Their sessions have ended.`,
      });
    }
    case "ban": {
      const result = await banMember({
        userId: submission.userId,
        moderatorId: moderator.id,
        reason: submission.reason,
        removeContent: submission.removeContent,
      });
      if (!result.ok) return answerRefusal(submission.intent, result);
      const removed = submission.removeContent
        ? ` ${plural(result.removedPosts, "post")} and ${plural(result.removedComments, "comment")} removed.`
        : "";
      return data<MemberAnswer>({
        outcome: "done",
        message: `${result.member.displayName} is banned. Their sessions have ended.${removed}`,
      });
    }
    case "restore": {
      const result = await restoreMember({
        userId: submission.userId,
        moderatorId: moderator.id,
        reason: submission.reason,
      });
      if (!result.ok) return answerRefusal(submission.intent, result);
      return data<MemberAnswer>({
        outcome: "done",
        message: `${result.member.displayName} is restored and can log in again.`,
      });
    }
    case "change-role": {
      const result = await changeRole({
        userId: submission.userId,
        adminId: moderator.id,
        role: submission.role,
      });
      if (!result.ok) return answerRefusal(submission.intent, result);
      return data<MemberAnswer>({
        outcome: "done",
        message: `${result.member.displayName} is now ${article(submission.role)}.`,
      });
    }
  }
}

function plural(count: number, noun: string) {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

type Member = MembersPage["members"][number];
type Invalid = Extract<MemberAnswer, { outcome: "invalid" }>;

export default function Members() {
  const { viewerId, search, errors, members, nextCursor, isFirstPage, now } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const formKey = useFormKey(answer);
  const busy = useNavigation().state === "submitting";
  const outcomeRef = useRef<HTMLDivElement>(null);
  // The confirmation is at the top of a long page: take keyboard focus to it.
  useEffect(() => {
    if (answer && answer.outcome !== "invalid") outcomeRef.current?.focus();
  }, [answer]);

  const invalid = answer?.outcome === "invalid" ? answer : null;
  const searched = Boolean(search.q || search.status);
  const query = new URLSearchParams(
    Object.entries(search).filter(([, value]) => value !== "") as [string, string][],
  );
  const nextPage = new URLSearchParams(query);
  if (nextCursor) nextPage.set("cursor", nextCursor);
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <div className="moderation">
      <h1>Members</h1>
      <p className="moderation__summary">
        Find a member to suspend, ban or restore. <Link to="/mod">Moderation queue</Link> ·{" "}
        <Link to="/mod/log">Moderation log</Link>
      </p>
      <div ref={outcomeRef} tabIndex={-1} className="moderation__outcome">
        {answer?.outcome === "done" ? <Notice>{answer.message}</Notice> : null}
        {answer?.outcome === "conflict" ? <FormError message={answer.message} /> : null}
      </div>

      <Form method="get" role="search" className="log-filters" key={JSON.stringify(search)}>
        <TextField
          label="Search members"
          name="q"
          type="search"
          hint="Part of a username or display name"
          autoComplete="off"
          maxLength={QUERY_MAX}
          defaultValue={search.q}
          errors={errors.q}
        />
        <SelectField
          label="Status"
          name="status"
          options={[
            { value: "", label: "Any" },
            ...userStatus.enumValues.map((status) => ({ value: status, label: statusLabels[status] })),
          ]}
          defaultValue={search.status}
          errors={errors.status}
        />
        <div className="log-filters__actions">
          <button type="submit">Find members</button>
          {searched ? <Link to="/mod/users">Show everyone</Link> : null}
        </div>
      </Form>

      {hasErrors ? null : members.length === 0 ? (
        <p className="empty">
          {!isFirstPage ? "No more members." : searched ? "No members match this search." : "No members yet."}
        </p>
      ) : (
        <ol
          className="member-list"
          aria-label={searched ? "Matching members, by username" : "Members, by username"}
        >
          {members.map((member) => (
            <li key={member.id}>
              <MemberCard
                member={member}
                isViewer={member.id === viewerId}
                now={now}
                formKey={formKey}
                busy={busy}
                invalid={invalid?.userId === String(member.id) ? invalid : null}
              />
            </li>
          ))}
        </ol>
      )}

      <Pager
        first={
          isFirstPage
            ? null
            : { href: `/mod/users${query.toString() ? `?${query}` : ""}`, label: "First page" }
        }
        nextHref={nextCursor ? `/mod/users?${nextPage}` : null}
      />
    </div>
  );
}

function StatusText({ member, now }: { member: Member; now: Date }) {
  const reason = member.statusReason ? <span className="member__reason">: {member.statusReason}</span> : null;
  if (member.status === "active") return <>Active</>;
  if (member.status === "banned") return <>Banned{reason}</>;
  if (!member.suspendedUntil) return <>Suspended until restored{reason}</>;
  const until = (
    <time dateTime={member.suspendedUntil.toISOString()}>{formatAbsolute(member.suspendedUntil)}</time>
  );
  // Lifted (and logged) when they next log in; until then the row still says suspended.
  if (member.suspendedUntil <= now) return <>Active again: suspension ended {until}</>;
  return (
    <>
      Suspended until {until}
      {reason}
    </>
  );
}

function MemberCard({
  member,
  isViewer,
  now,
  formKey,
  busy,
  invalid,
}: {
  member: Member;
  isViewer: boolean;
  now: Date;
  formKey: number;
  busy: boolean;
  invalid: Invalid | null;
}) {
  const headingId = `member-${member.id}`;
  const roleChangeInvalid = invalid?.intent === "change-role" ? invalid : null;
  const moderationInvalid = roleChangeInvalid ? null : invalid;
  return (
    <article className="member-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="member-card__name">
        <Link to={`/u/${member.username}`}>{member.displayName}</Link>
      </h2>
      <p className="byline">
        @{member.username} · {libraryTypeLabels[member.libraryType]}
        {isViewer ? " · This is you" : null}
      </p>
      <dl className="member-card__facts">
        <div>
          <dt>Role</dt>
          <dd>{roleLabels[member.role]}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd className={`member-card__status member-card__status--${member.status}`}>
            <StatusText member={member} now={now} />
          </dd>
        </div>
        <div>
          <dt>Contributions</dt>
          <dd>
            {member.approvedCount} approved, {member.rejectedCount} rejected, {member.spamCount} marked as
            spam
          </dd>
        </div>
        <div>
          <dt>Member since</dt>
          <dd>
            <time dateTime={member.createdAt.toISOString()}>{formatDay(member.createdAt)}</time>
          </dd>
        </div>
      </dl>

      {member.canModerate ? (
        <Form method="post" noValidate key={formKey} className="member-card__form">
          <input type="hidden" name="userId" value={member.id} />
          <TextField
            id={`reason-${member.id}`}
            label="Reason"
            name="reason"
            autoComplete="off"
            maxLength={REASON_MAX}
            hint="Shown to the member when they try to log in. Needed to suspend or ban."
            defaultValue={moderationInvalid?.values.reason ?? ""}
            errors={moderationInvalid?.errors.reason}
          />
          <TextField
            id={`until-${member.id}`}
            label="Suspend until"
            name="until"
            type="date"
            hint="The suspension ends at the start of this day (UTC). Leave empty to suspend until restored."
            defaultValue={moderationInvalid?.values.until ?? ""}
            errors={moderationInvalid?.errors.until}
          />
          <CheckboxField
            id={`remove-content-${member.id}`}
            label="Also remove all their posts and comments"
            name="removeContent"
            hint="With Ban only."
            defaultChecked={moderationInvalid?.values.removeContent ?? false}
          />
          <div className="decision-buttons">
            <button
              type="submit"
              name="intent"
              value="suspend"
              className="button--secondary"
              aria-describedby={headingId}
              disabled={busy}
            >
              Suspend
            </button>
            <button
              type="submit"
              name="intent"
              value="ban"
              className="button--danger"
              aria-describedby={headingId}
              disabled={busy}
            >
              Ban
            </button>
            {member.status !== "active" ? (
              <button
                type="submit"
                name="intent"
                value="restore"
                aria-describedby={headingId}
                disabled={busy}
              >
                Restore
              </button>
            ) : null}
          </div>
        </Form>
      ) : null}

      {member.canChangeRole ? (
        <Form method="post" noValidate key={formKey} className="member-card__role">
          <input type="hidden" name="userId" value={member.id} />
          <SelectField
            id={`role-${member.id}`}
            label="Role"
            name="role"
            options={userRole.enumValues.map((role) => ({ value: role, label: roleLabels[role] }))}
            defaultValue={roleChangeInvalid?.values.role ?? member.role}
            errors={roleChangeInvalid?.errors.role}
          />
          <button
            type="submit"
            name="intent"
            value="change-role"
            aria-describedby={headingId}
            disabled={busy}
          >
            Change role
          </button>
        </Form>
      ) : null}
    </article>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
