import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { SelectField, TextField } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { Pager } from "~/components/pager";
import { moderationActionKind } from "~/db/schema";
import { requireRole } from "~/lib/auth.server";
import { decodeCursor, encodeCursor } from "~/lib/cursor";
import { invariantResponse } from "~/lib/http.server";
import { moderationActionLabels, type ModerationActionKind } from "~/lib/moderation-actions";
import { privatePageMeta } from "~/lib/seo";
import { formatAbsolute } from "~/lib/time";
import type { FieldErrors } from "~/lib/validation";
import { listModerationActions, type LogFilters } from "~/models/moderation.server";
import { commentPath } from "~/lib/thread-links";

export const meta: MetaFunction = () => privatePageMeta("Moderation log");

// "@Dev-Patel" finds dev-patel: the filter takes a username as people write it.
const usernameFilter = z
  .string()
  .transform((value) => value.trim().replace(/^@/, "").toLowerCase())
  .refine(
    (value) => value === "" || /^[a-z0-9_-]{1,30}$/.test(value),
    "Enter a username: lowercase letters, digits, _ and -.",
  )
  .optional();

const filtersSchema = z.object({
  moderator: usernameFilter,
  member: usernameFilter,
  action: z
    .union([z.literal(""), z.enum(moderationActionKind.enumValues)], {
      error: "Choose an action from the list.",
    })
    .optional(),
});

type LogPage = {
  filters: { moderator: string; member: string; action: string };
  errors: FieldErrors;
  actions: Awaited<ReturnType<typeof listModerationActions>>["actions"];
  nextCursor: string | null;
  isFirstPage: boolean;
  actionKinds: readonly ModerationActionKind[];
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "moderator");
  const searchParams = new URL(request.url).searchParams;
  const cursorParameter = searchParams.get("cursor");
  const cursor = cursorParameter === null ? null : decodeCursor(cursorParameter);
  invariantResponse(
    cursorParameter === null || cursor,
    "That page link is not valid. Start again from the first page.",
  );

  const submitted = {
    moderator: searchParams.get("moderator") ?? undefined,
    member: searchParams.get("member") ?? undefined,
    action: searchParams.get("action") ?? undefined,
  };
  const parsed = filtersSchema.safeParse(submitted);
  const page = {
    isFirstPage: cursor === null,
    actionKinds: moderationActionKind.enumValues,
  };
  if (!parsed.success) {
    return data<LogPage>(
      {
        ...page,
        filters: {
          moderator: submitted.moderator ?? "",
          member: submitted.member ?? "",
          action: submitted.action ?? "",
        },
        errors: z.flattenError(parsed.error).fieldErrors as FieldErrors,
        actions: [],
        nextCursor: null,
      },
      { status: 400 },
    );
  }

  const filters: LogFilters = {
    moderator: parsed.data.moderator || undefined,
    member: parsed.data.member || undefined,
    action: parsed.data.action || undefined,
  };
  const { actions, nextCursor } = await listModerationActions(filters, cursor);
  return data<LogPage>({
    ...page,
    filters: {
      moderator: filters.moderator ?? "",
      member: filters.member ?? "",
      action: filters.action ?? "",
    },
    errors: {},
    actions,
    nextCursor: nextCursor ? encodeCursor(nextCursor) : null,
  });
}

type Entry = LogPage["actions"][number];

function Target({ entry }: { entry: Entry }) {
  const content =
    entry.commentId !== null && entry.postId !== null ? (
      <Link to={commentPath({ id: entry.postId, slug: entry.postSlug }, entry.commentId)}>
        comment #{entry.commentId}
      </Link>
    ) : entry.postId !== null ? (
      <Link to={`/posts/${entry.postId}/${entry.postSlug ?? ""}`}>{entry.postTitle}</Link>
    ) : null;
  const member = entry.targetUsername ? (
    <Link to={`/u/${entry.targetUsername}`}>{entry.targetDisplayName}</Link>
  ) : null;
  if (content && member) {
    return (
      <>
        {content} by {member}
      </>
    );
  }
  if (content ?? member) return content ?? member;
  return entry.action === "change_settings" ? "Site settings" : <span className="muted">—</span>;
}

export default function ModerationLog() {
  const { filters, errors, actions, nextCursor, isFirstPage, actionKinds } = useLoaderData<typeof loader>();
  const filtered = Boolean(filters.moderator || filters.member || filters.action);
  const query = new URLSearchParams(
    Object.entries(filters).filter(([, value]) => value !== "") as [string, string][],
  );
  const nextPage = new URLSearchParams(query);
  if (nextCursor) nextPage.set("cursor", nextCursor);
  const hasErrors = Object.keys(errors).length > 0;

  return (
    <div className="moderation">
      <h1>Moderation log</h1>
      <p className="moderation__summary">
        Every moderation action, newest first: who did what, when and why.{" "}
        <Link to="/mod">Moderation queue</Link>
      </p>

      <Form method="get" className="log-filters" aria-label="Filter the log" key={JSON.stringify(filters)}>
        <TextField
          label="Moderator"
          name="moderator"
          hint="A username"
          autoComplete="off"
          defaultValue={filters.moderator}
          errors={errors.moderator}
        />
        <TextField
          label="Member"
          name="member"
          hint="A username"
          autoComplete="off"
          defaultValue={filters.member}
          errors={errors.member}
        />
        <SelectField
          label="Action"
          name="action"
          hint="What was done"
          options={[
            { value: "", label: "Any" },
            ...actionKinds.map((kind) => ({ value: kind, label: moderationActionLabels[kind] })),
          ]}
          defaultValue={filters.action}
          errors={errors.action}
        />
        <div className="log-filters__actions">
          <button type="submit">Filter</button>
          {filtered ? <Link to="/mod/log">Show everything</Link> : null}
        </div>
      </Form>

      {hasErrors ? null : actions.length === 0 ? (
        <p className="empty">
          {!isFirstPage ? "No more actions." : filtered ? "No actions match these filters." : "Nothing yet."}
        </p>
      ) : (
        // A wide table scrolls on its own on a narrow screen; focusable so the keyboard can scroll it.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        <div className="table-scroll" role="region" aria-labelledby="log-caption" tabIndex={0}>
          <table className="log-table">
            <caption id="log-caption">
              {filtered ? "Log entries matching the filters, newest first" : "Log entries, newest first"}
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Moderator</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Reason</th>
              </tr>
            </thead>
            <tbody>
              {actions.map((entry) => (
                <tr key={entry.id}>
                  <td>
                    <time dateTime={entry.createdAt.toISOString()}>{formatAbsolute(entry.createdAt)}</time>
                  </td>
                  <td>
                    {entry.actorUsername ? (
                      <Link to={`/u/${entry.actorUsername}`}>{entry.actorDisplayName}</Link>
                    ) : (
                      "System"
                    )}
                  </td>
                  <td>{moderationActionLabels[entry.action]}</td>
                  <td>
                    <Target entry={entry} />
                  </td>
                  <td>{entry.reason || <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Pager
        first={
          isFirstPage
            ? null
            : { href: `/mod/log${query.toString() ? `?${query}` : ""}`, label: "Newest actions" }
        }
        nextHref={nextCursor ? `/mod/log?${nextPage}` : null}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
