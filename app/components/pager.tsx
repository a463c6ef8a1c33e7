import { Link } from "@remix-run/react";

type Props = {
  /** The list's first page, offered once the reader has moved past it. */
  first: { href: string; label: string } | null;
  /** The next page by keyset cursor, or null on the last page. */
  nextHref: string | null;
};

/** "Next page" (and a way back to the first) under a keyset-paged list. */
export function Pager({ first, nextHref }: Props) {
  if (!first && !nextHref) return null;
  return (
    <nav aria-label="Pagination" className="pager">
      {first ? <Link to={first.href}>{first.label}</Link> : null}
      {first && nextHref ? " · " : null}
      {nextHref ? (
        <Link to={nextHref} rel="next">
          Next page
        </Link>
      ) : null}
    </nav>
  );
}
