import { Link } from "@remix-run/react";
import { createContext, useContext, type ComponentProps } from "react";

const HydratedContext = createContext(false);

/** Whether this page ships the app's scripts (members) or is plain HTML (visitors; see root.tsx). */
export const HydratedProvider = HydratedContext.Provider;

type AppLinkProps = Omit<ComponentProps<"a">, "href"> & { to: string; preventScrollReset?: boolean };

/**
 * A link that is a router <Link> on pages that run the app, and a plain <a> on
 * plain-HTML pages, where the router's work per link (resolving the path,
 * prefetch bookkeeping) would buy nothing. Lists and threads render many.
 */
export function AppLink({ to, preventScrollReset, children, ...anchor }: AppLinkProps) {
  const hydrated = useContext(HydratedContext);
  if (hydrated) {
    return (
      <Link to={to} preventScrollReset={preventScrollReset} {...anchor}>
        {children}
      </Link>
    );
  }
  return (
    <a href={to} {...anchor}>
      {children}
    </a>
  );
}
