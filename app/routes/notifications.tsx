import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { readForm } from "~/lib/request.server";
import { isOpenedByTheMember } from "~/lib/same-origin";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Notice } from "~/components/form";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { Pager } from "~/components/pager";
import { RelativeTime } from "~/components/relative-time";
import { requireUser } from "~/lib/auth.server";
import { decodeCursor, encodeCursor } from "~/lib/cursor";
import { invariantResponse } from "~/lib/http.server";
import { privatePageMeta } from "~/lib/seo";
import {
  countUnreadNotifications,
  listNotifications,
  markNotificationsRead,
} from "~/models/notifications.server";

export function meta() {
  return privatePageMeta("Notifications");
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const searchParams = new URL(request.url).searchParams;
  const cursorParameter = searchParams.get("cursor");
  const cursor = cursorParameter === null ? null : decodeCursor(cursorParameter);
  invariantResponse(
    cursorParameter === null || cursor,
    "That page link is not valid. Start again from the first page.",
  );

  const { items, nextCursor } = await listNotifications(user.id, cursor);
  // Seen on open, as in Discourse: what this page shows counts as read from now
  // on. The items were read before marking, so the page still shows which were new.
  // Another site embedding or fetching the page is not the member opening it.
  if (isOpenedByTheMember(request.headers)) {
    await markNotificationsRead(
      user.id,
      items.filter((item) => !item.read).map((item) => item.id),
    );
  }
  return {
    items,
    nextCursor: nextCursor ? encodeCursor(nextCursor) : null,
    isFirstPage: cursor === null,
    // Counted after marking: the header shows this on this page (see AccountNav in root.tsx),
    // because the root loader runs beside this one and may count before the marking.
    unreadCount: await countUnreadNotifications(user.id),
    markedAll: searchParams.get("marked") === "all",
    now: new Date(),
  };
}

const intentSchema = z.literal("mark-all-read");

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readForm(request);
  invariantResponse(intentSchema.safeParse(formData.get("intent")).success, "Unknown action.");
  await markNotificationsRead(user.id, "all");
  return redirect("/notifications?marked=all");
}

export default function Notifications() {
  const { items, nextCursor, isFirstPage, unreadCount, markedAll, now } = useLoaderData<typeof loader>();
  const marking = useNavigation().formData?.get("intent") === "mark-all-read";

  return (
    <div className="notifications">
      <h1>Notifications</h1>
      <p className="notifications__summary">
        Replies to you, mentions of you, news from the threads you watch and moderators&rsquo; decisions,
        newest first.{" "}
        <Link to="/settings#notification-email-heading">Choose how often they are e-mailed to you</Link>.
      </p>
      {markedAll ? <Notice>All your notifications are marked as read.</Notice> : null}

      {items.length === 0 ? (
        <p className="empty">
          {isFirstPage
            ? "No notifications yet. When someone replies to you, mentions you or a moderator decides on something you wrote, it shows here."
            : "No more notifications."}
        </p>
      ) : (
        <ol className="notification-list" aria-label="Notifications, newest first">
          {items.map((item) => (
            <li key={item.id} className={item.read ? "notification" : "notification notification--unread"}>
              {item.read ? null : <span className="notification__new">New</span>}{" "}
              {item.href ? (
                <Link to={item.href} className="notification__message">
                  {item.message}
                </Link>
              ) : (
                <span className="notification__message">{item.message}</span>
              )}{" "}
              <span className="notification__time">
                <RelativeTime date={item.createdAt} now={now} />
              </span>
            </li>
          ))}
        </ol>
      )}

      {items.length > 0 ? (
        <Form method="post" className="notifications__mark-all">
          {unreadCount > 0 ? (
            <p>
              {unreadCount === 1
                ? "1 older notification is still unread."
                : `${unreadCount} older notifications are still unread.`}
            </p>
          ) : null}
          <button
            type="submit"
            name="intent"
            value="mark-all-read"
            className="button--secondary"
            disabled={marking}
          >
            Mark all as read
          </button>
        </Form>
      ) : null}

      <Pager
        first={isFirstPage ? null : { href: "/notifications", label: "Newest notifications" }}
        nextHref={nextCursor ? `/notifications?${new URLSearchParams({ cursor: nextCursor })}` : null}
      />
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
