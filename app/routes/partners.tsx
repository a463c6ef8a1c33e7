import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { GeneralErrorBoundary } from "~/components/general-error-boundary";
import { Pager } from "~/components/pager";
import { requireUser } from "~/lib/auth.server";
import { invariantResponse } from "~/lib/http.server";
import { libraryTypeLabels } from "~/lib/library-types";
import { privatePageMeta } from "~/lib/seo";
import {
  decodePartnerCursor,
  encodePartnerCursor,
  findPartners,
  getPartnerProfile,
  partnerTypesFor,
  type Closeness,
  type Partner,
} from "~/models/partners.server";

export function meta() {
  return privatePageMeta("Find a partner library");
}

export async function loader({ request }: LoaderFunctionArgs) {
  // Members only: who is open to partnering, and where, is not for visitors or crawlers.
  const user = await requireUser(request);
  const cursorParameter = new URL(request.url).searchParams.get("cursor");
  const cursor = cursorParameter === null ? null : decodePartnerCursor(cursorParameter);
  invariantResponse(
    cursorParameter === null || cursor,
    "That page link is not valid. Start again from the first page.",
  );
  const viewer = await getPartnerProfile(user.id);
  invariantResponse(viewer, "Your account could not be found.", { status: 404 });
  const { partners, nextCursor } = await findPartners(viewer, { cursor });
  return {
    viewer: {
      openToPartnering: viewer.openToPartnering,
      hasCommunity: Boolean(viewer.community?.trim()),
      hasRegion: Boolean(viewer.region?.trim()),
      partnerTypes: partnerTypesFor(viewer.libraryType),
    },
    partners,
    nextCursor: nextCursor ? encodePartnerCursor(nextCursor) : null,
    isFirstPage: cursor === null,
  };
}

const groupHeadings: Record<Closeness, string> = {
  community: "In your community",
  region: "In your region",
  elsewhere: "Elsewhere",
};

export default function Partners() {
  const { viewer, partners, nextCursor, isFirstPage } = useLoaderData<typeof loader>();
  const wanted = `${viewer.partnerTypes.join(" and ")} libraries`;
  const groups = groupByCloseness(partners);
  const needsSettings = !viewer.openToPartnering || !viewer.hasCommunity || !viewer.hasRegion;

  return (
    <div className="partners">
      <h1>Find a partner library</h1>
      <p>
        Librarians from {wanted} who are open to partnering: your community first, then your region, then
        everyone else.
      </p>
      {needsSettings ? (
        <p className="notice" role="status">
          {viewer.openToPartnering ? "" : "You are not listed here yourself. "}
          Set your community and region and tick <strong>Open to partnering</strong> in{" "}
          <Link to="/settings#profile-heading">Settings</Link> so others can find you too
          {viewer.hasCommunity && viewer.hasRegion ? "" : ", and so we can show who is nearest first"}.
        </p>
      ) : null}

      {partners.length === 0 ? (
        <p className="empty">
          {isFirstPage
            ? "Nobody of the other library type is open to partnering yet. Check back soon, or start a post to find people."
            : "No more librarians to show."}
        </p>
      ) : (
        groups.map(({ closeness, partners: group }) => (
          <Fragment key={closeness}>
            <h2 id={`partners-${closeness}`}>{groupHeadings[closeness]}</h2>
            <ul className="member-list profile__list" aria-labelledby={`partners-${closeness}`}>
              {group.map((partner) => (
                <li key={partner.id}>
                  <PartnerCard partner={partner} />
                </li>
              ))}
            </ul>
          </Fragment>
        ))
      )}

      <Pager
        first={isFirstPage ? null : { href: "/partners", label: "Nearest librarians" }}
        nextHref={nextCursor ? `/partners?${new URLSearchParams({ cursor: nextCursor })}` : null}
      />
    </div>
  );
}

function PartnerCard({ partner }: { partner: Partner }) {
  const headingId = `partner-${partner.id}`;
  return (
    <article className="member-card" aria-labelledby={headingId}>
      <h3 id={headingId} className="member-card__name">
        <Link to={`/u/${partner.username}`}>{partner.displayName}</Link>
      </h3>
      <dl className="member-card__facts">
        <div>
          <dt>Library</dt>
          <dd>{libraryTypeLabels[partner.libraryType]}</dd>
        </div>
        <div>
          <dt>Community</dt>
          <dd>{partner.community || "Not given"}</dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{partner.region || "Not given"}</dd>
        </div>
      </dl>
      {partner.recentPosts.length > 0 ? (
        <>
          <p>Recent posts:</p>
          <ul>
            {partner.recentPosts.map((post) => (
              <li key={post.id}>
                <Link to={`/posts/${post.id}/${post.slug}`}>{post.title}</Link>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="empty">No posts yet.</p>
      )}
      {partner.acceptsIntroductions ? (
        <p>
          <Link
            to={`/partners/${partner.username}/introduce`}
            className="button"
            aria-label={`Introduce yourself to ${partner.displayName}`}
          >
            Introduce yourself
          </Link>
        </p>
      ) : (
        <p className="empty">Not taking introductions at the moment.</p>
      )}
    </article>
  );
}

/** Consecutive partners of one closeness, in the order the list gives them. */
function groupByCloseness(partners: Partner[]) {
  const groups: { closeness: Closeness; partners: Partner[] }[] = [];
  for (const partner of partners) {
    const last = groups.at(-1);
    if (last?.closeness === partner.closeness) last.partners.push(partner);
    else groups.push({ closeness: partner.closeness, partners: [partner] });
  }
  return groups;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
