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
} from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { useNonce } from "~/components/nonce";
import { getOptionalUser } from "~/lib/auth.server";
import { hasRole } from "~/lib/permissions";
import { countPendingItems } from "~/models/moderation.server";
import stylesheet from "~/styles/app.css?url";

export const SITE_NAME = "Crosswalk";

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
    content: "Where school and public librarians find each other, ask questions and share what worked.",
  },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  return {
    user: user ? { username: user.username, displayName: user.displayName, role: user.role } : null,
    // Counted only for those who can act on the queue: nobody else pays for the query.
    pendingCount: hasRole(user, "moderator") ? await countPendingItems() : null,
  };
}

function AccountNav() {
  // Absent while an error page renders without the root loader's data.
  const rootData = useRouteLoaderData<typeof loader>("root");
  const user = rootData?.user ?? null;
  const pendingCount = rootData?.pendingCount ?? null;
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
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
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
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
