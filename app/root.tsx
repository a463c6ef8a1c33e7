import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteLoaderData,
  type ShouldRevalidateFunctionArgs,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { HydratedProvider } from "~/components/app-link";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { useNonce } from "~/components/nonce";
import { useRemoveSpentRouteData } from "~/components/spent-route-data";
import { getOptionalUser } from "~/lib/auth.server";
import { currentPublicUrl } from "~/lib/env.server";
import { hasRole } from "~/lib/permissions";
import { SITE_DESCRIPTION, SITE_NAME } from "~/lib/seo";
import type { loader as notificationsLoader } from "~/routes/notifications";
import stylesheet from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  {
    rel: "alternate",
    type: "application/atom+xml",
    title: "Crosswalk: latest discussions",
    href: "/feed.xml",
  },
];

export const meta: MetaFunction = () => [
  { title: SITE_NAME },
  {
    name: "description",
    content: SITE_DESCRIPTION,
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  return {
    user: user ? { username: user.username, displayName: user.displayName, role: user.role } : null,
    // Both counted in the session's own statement; the queue only for those who can act on it.
    pendingCount: hasRole(user, "moderator") ? (user?.pendingItems ?? 0) : null,
    unreadNotifications: user ? user.unreadNotifications : null,
    // For canonical and og:url links in every page's meta: from PUBLIC_URL, never the Host header.
    origin: currentPublicUrl(),
  };
}

// Opening /notifications marks what it shows as read: the header's count is
// fetched again on the way in and on the way out, not only after a form post.
export function shouldRevalidate({
  currentUrl,
  nextUrl,
  defaultShouldRevalidate,
}: ShouldRevalidateFunctionArgs) {
  return (
    defaultShouldRevalidate ||
    currentUrl.pathname === "/notifications" ||
    nextUrl.pathname === "/notifications"
  );
}

function AccountNav() {
  // Absent while an error page renders without the root loader's data.
  const rootData = useRouteLoaderData<typeof loader>("root");
  const user = rootData?.user ?? null;
  const pendingCount = rootData?.pendingCount ?? null;
  // On /notifications the page's own count wins: it was taken after the page marked its items read.
  const notificationsPage = useRouteLoaderData<typeof notificationsLoader>("routes/notifications");
  const unreadNotifications = notificationsPage?.unreadCount ?? rootData?.unreadNotifications ?? 0;
  const location = useLocation();
  if (!user) {
    const here =
      location.pathname === "/login" || location.pathname === "/join"
        ? "/"
        : location.pathname + location.search;
    const redirectTo = new URLSearchParams({ redirectTo: here });
    return (
      <ul className="site-nav">
        <li>
          <Link to={`/login?${redirectTo}`}>Log in</Link>
        </li>
        <li>
          <Link to={`/join?${redirectTo}`}>Join</Link>
        </li>
      </ul>
    );
  }
  return (
    <ul className="site-nav header-user">
      <li>
        <NavLink to="/posts/new">Start a post</NavLink>
      </li>
      <li>
        <NavLink to="/partners">Partners</NavLink>
      </li>
      {pendingCount !== null ? (
        <li>
          <NavLink
            to="/mod"
            end
            aria-label={`Queue (${pendingCount}): moderation queue, ${pendingCount} waiting`}
          >
            Queue ({pendingCount})
          </NavLink>
        </li>
      ) : null}
      <li>
        {/* No prefetch: loading the page marks notifications read. */}
        <NavLink
          to="/notifications"
          end
          aria-label={
            unreadNotifications > 0
              ? `Notifications (${unreadNotifications}): ${unreadNotifications} unread`
              : undefined
          }
        >
          {unreadNotifications > 0 ? `Notifications (${unreadNotifications})` : "Notifications"}
        </NavLink>
      </li>
      <li>
        <Link to={`/u/${user.username}`}>{user.displayName}</Link>
      </li>
      <li>
        <NavLink to="/settings">Settings</NavLink>
      </li>
      <li>
        <Form method="post" action="/logout">
          <button type="submit" className="button--header">
            Log out
          </button>
        </Form>
      </li>
    </ul>
  );
}

/** The search box in the header; the search page has its own form, so it shows none there. */
function HeaderSearch() {
  const location = useLocation();
  if (location.pathname === "/search") return null;
  return (
    <form role="search" action="/search" method="get" className="header-search">
      <label htmlFor="header-search-q" className="visually-hidden">
        Search the forum
      </label>
      <input id="header-search-q" type="search" name="q" maxLength={200} />
      <button type="submit" className="button--header">
        Search
      </button>
    </form>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  // Visitors read plain HTML: every page works without JavaScript, and a
  // reader's page needs none, so it ships no scripts and no hydration data
  // (docs/decisions/023-visitors-read-plain-html.md). Members get the app.
  const hydrate = Boolean(useRouteLoaderData<typeof loader>("root")?.user);
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <HydratedProvider value={hydrate}>
          <a className="skip-link" href="#main">
            Skip to content
          </a>
          <header className="site-header">
            <div className="site-header__inner">
              <Link to="/" className="site-name">
                {SITE_NAME}
              </Link>
              <nav aria-label="Main">
                <ul className="site-nav">
                  <li>
                    <NavLink to="/" end>
                      Latest
                    </NavLink>
                  </li>
                  <li>
                    <NavLink to="/tags">Tags</NavLink>
                  </li>
                  <li>
                    <NavLink to="/stories">Stories</NavLink>
                  </li>
                  <li>
                    <NavLink to="/booklists">Booklists</NavLink>
                  </li>
                </ul>
              </nav>
              <HeaderSearch />
              <nav aria-label="Account">
                <AccountNav />
              </nav>
            </div>
          </header>
          <main id="main" className="site-main">
            {children}
          </main>
          <footer className="site-footer">
            <p>{SITE_NAME}: school and public librarians, working together.</p>
          </footer>
        </HydratedProvider>
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  useRemoveSpentRouteData();
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
