import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Link, Links, Meta, NavLink, Outlet, Scripts, ScrollRestoration } from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { useNonce } from "~/components/nonce";
import stylesheet from "~/styles/app.css?url";

export const SITE_NAME = "Crosswalk";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [
  { title: SITE_NAME },
  {
    name: "description",
    content: "Where school and public librarians find each other, ask questions and share what worked.",
  },
];

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
