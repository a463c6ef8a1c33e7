import { and, eq, sql } from "drizzle-orm";
import { introductions, memberBlocks, notifications, users } from "~/db/schema";
import { executeRows, getDb } from "~/lib/db.server";
import type { LibraryType } from "~/lib/library-types";

// The partner finder: school and public librarians who said they are open to
// partnering, nearest first, and the introductions they send each other. An
// introduction is a row and a notification; the sender's e-mail address is
// never read here, so it cannot reach the recipient's page or mail.

export const PARTNERS_PAGE_SIZE = 20;
const RECENT_POSTS_PER_PARTNER = 3;

/**
 * Who a member is shown. School and public librarians see each other, which is
 * what the forum is for; academic and "other" librarians (consultants,
 * regional systems) work with both, so they see both. Nobody is shown academic
 * or "other" members: they find partners by searching the forum instead.
 */
export function partnerTypesFor(libraryType: LibraryType): LibraryType[] {
  if (libraryType === "school") return ["public"];
  if (libraryType === "public") return ["school"];
  return ["school", "public"];
}

/** How near a partner is: the list is ordered by this, then by recent activity. */
export type Closeness = "community" | "region" | "elsewhere";
const closenessOfRank: Closeness[] = ["community", "region", "elsewhere"];

/** A position in the partner list: (closeness rank, last active, id), the keyset of the last card shown. */
export type PartnerCursor = { rank: number; at: string; id: number };

export function encodePartnerCursor(cursor: PartnerCursor): string {
  return Buffer.from(`${cursor.rank}|${cursor.at}|${cursor.id}`, "utf8").toString("base64url");
}

/** The cursor in a `?cursor=` parameter, or null when it is not one we made. */
export function decodePartnerCursor(value: string): PartnerCursor | null {
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(value)) return null;
  const match = /^([0-2])\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([1-9]\d{0,9})$/.exec(
    Buffer.from(value, "base64url").toString("utf8"),
  );
  if (!match) return null;
  const id = Number(match[3]);
  const at = match[2]!;
  if (id > 2_147_483_647 || Number.isNaN(new Date(`${at.slice(0, 23)}Z`).getTime())) return null;
  return { rank: Number(match[1]), at, id };
}

export type Partner = {
  id: number;
  username: string;
  displayName: string;
  libraryType: LibraryType;
  community: string | null;
  region: string | null;
  acceptsIntroductions: boolean;
  closeness: Closeness;
  recentPosts: { id: number; title: string; slug: string }[];
};

type PartnerRow = {
  id: number;
  username: string;
  display_name: string;
  library_type: LibraryType;
  community: string | null;
  region: string | null;
  accepts_introductions: boolean;
  rank: number;
  active_key: string;
};

/** What the partner finder needs to know about the member looking. */
export async function getPartnerProfile(userId: number) {
  const [row] = await getDb()
    .select({
      id: users.id,
      libraryType: users.libraryType,
      community: users.community,
      region: users.region,
      openToPartnering: users.openToPartnering,
    })
    .from(users)
    .where(eq(users.id, userId));
  return row;
}

/**
 * Members of the complementary library type who are open to partnering and
 * active, neither blocking nor blocked by the viewer: the viewer's community
 * first, then their region, then everyone else (labelled as such on the page),
 * each group most recently active first. Community and region match without
 * regard to case or surrounding spaces. Two queries whatever the page size:
 * the members, then their recent posts.
 */
export async function findPartners(
  viewer: { id: number; libraryType: LibraryType; community: string | null; region: string | null },
  { cursor = null, limit = PARTNERS_PAGE_SIZE }: { cursor?: PartnerCursor | null; limit?: number } = {},
) {
  const types = sql.join(
    partnerTypesFor(viewer.libraryType).map((type) => sql`${type}`),
    sql`, `,
  );
  const community = viewer.community?.trim() ?? "";
  const region = viewer.region?.trim() ?? "";
  // Sessions are the best record of when someone was last here; a member with
  // none left (they expire) counts from their last profile change.
  const rows = await executeRows<PartnerRow>(sql`
    with candidates as (
      select u.id, u.username, u.display_name, u.library_type, u.community, u.region,
        u.accepts_introductions,
        case
          when ${community} <> '' and lower(btrim(u.community)) = lower(${community}) then 0
          when ${region} <> '' and lower(btrim(u.region)) = lower(${region}) then 1
          else 2
        end as rank,
        coalesce(
          (select max(s.last_seen_at) from sessions s where s.user_id = u.id),
          u.updated_at
        ) as active_at
      from users u
      where u.id <> ${viewer.id}
        and u.status = 'active'
        and u.open_to_partnering
        and u.library_type::text in (${types})
        and not exists (
          select 1 from member_blocks b
          where (b.blocker_id = ${viewer.id} and b.blocked_id = u.id)
             or (b.blocker_id = u.id and b.blocked_id = ${viewer.id})
        )
    )
    select id, username, display_name, library_type, community, region, accepts_introductions, rank,
      to_char(active_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as active_key
    from candidates
    ${
      cursor
        ? sql`where rank > ${cursor.rank}
            or (rank = ${cursor.rank} and (active_at, id) < (${cursor.at}::timestamptz, ${cursor.id}))`
        : sql``
    }
    order by rank, active_at desc, id desc
    limit ${limit + 1}
  `);
  const page = rows.slice(0, limit);
  const postsByAuthor = await recentPostsOf(page.map((row) => row.id));
  const partners: Partner[] = page.map((row) => ({
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    libraryType: row.library_type,
    community: row.community,
    region: row.region,
    acceptsIntroductions: row.accepts_introductions,
    closeness: closenessOfRank[row.rank] ?? "elsewhere",
    recentPosts: postsByAuthor.get(row.id) ?? [],
  }));
  const last = page.at(-1);
  return {
    partners,
    nextCursor:
      rows.length > limit && last ? { rank: Number(last.rank), at: last.active_key, id: last.id } : null,
  };
}

async function recentPostsOf(authorIds: number[]) {
  const byAuthor = new Map<number, Partner["recentPosts"]>();
  if (authorIds.length === 0) return byAuthor;
  const rows = await executeRows<{ id: number; title: string; slug: string; author_id: number }>(sql`
    select id, title, slug, author_id from (
      select p.id, p.title, p.slug, p.author_id,
        row_number() over (partition by p.author_id order by p.created_at desc, p.id desc) as position
      from posts p
      where p.author_id in (${sql.join(
        authorIds.map((id) => sql`${id}`),
        sql`, `,
      )}) and p.status = 'published'
    ) recent
    where position <= ${RECENT_POSTS_PER_PARTNER}
    order by author_id, position
  `);
  for (const row of rows) {
    byAuthor.set(row.author_id, [
      ...(byAuthor.get(row.author_id) ?? []),
      { id: row.id, title: row.title, slug: row.slug },
    ]);
  }
  return byAuthor;
}

// ---------------------------------------------------------------------------
// Introductions

/** An active member someone may try to introduce themselves to, by username. */
export async function findIntroductionRecipient(username: string) {
  const [row] = await getDb()
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      libraryType: users.libraryType,
      community: users.community,
      region: users.region,
    })
    .from(users)
    .where(and(eq(users.username, username), eq(users.status, "active")));
  return row;
}

/** Whether the recipient takes introductions from this sender: introductions on, and no block. */
export async function acceptsIntroductionFrom(recipientId: number, senderId: number) {
  const [row] = await getDb()
    .select({
      accepts: sql<boolean>`${users.acceptsIntroductions} and not exists (
        select 1 from ${memberBlocks}
        where ${memberBlocks.blockerId} = ${recipientId} and ${memberBlocks.blockedId} = ${senderId}
      )`,
    })
    .from(users)
    .where(eq(users.id, recipientId));
  return row?.accepts ?? false;
}

/**
 * Stores an introduction and the recipient's notification in one
 * transaction; answers null, storing nothing, when the recipient turned
 * introductions off or blocked the sender. The recipient's row is locked so a
 * block or a change of setting made at the same moment is not slipped past.
 */
export async function sendIntroduction(input: {
  sender: { id: number; displayName: string };
  recipientId: number;
  message: string;
}) {
  return getDb().transaction(async (tx) => {
    const [recipient] = await tx
      .select({ acceptsIntroductions: users.acceptsIntroductions })
      .from(users)
      .where(and(eq(users.id, input.recipientId), eq(users.status, "active")))
      .for("no key update");
    if (!recipient?.acceptsIntroductions) return null;
    const [block] = await tx
      .select({ blockerId: memberBlocks.blockerId })
      .from(memberBlocks)
      .where(and(eq(memberBlocks.blockerId, input.recipientId), eq(memberBlocks.blockedId, input.sender.id)));
    if (block) return null;
    const [introduction] = await tx
      .insert(introductions)
      .values({ senderId: input.sender.id, recipientId: input.recipientId, message: input.message })
      .returning({ id: introductions.id });
    await tx.insert(notifications).values({
      userId: input.recipientId,
      kind: "introduction",
      actorId: input.sender.id,
      introductionId: introduction!.id,
      message: `${input.sender.displayName} introduced themselves to you.`,
    });
    return { id: introduction!.id };
  });
}

/** An introduction as its recipient or its sender sees it; undefined for anyone else. */
export async function getIntroduction(id: number, viewerId: number) {
  const [row] = await executeRows<{
    id: number;
    message: string;
    created_at: string | Date;
    sender_id: number;
    sender_username: string;
    sender_name: string;
    recipient_id: number;
    recipient_username: string;
    recipient_name: string;
    sender_blocked: boolean;
  }>(sql`
    select i.id, i.message, i.created_at, i.sender_id, s.username as sender_username,
      s.display_name as sender_name, i.recipient_id, r.username as recipient_username,
      r.display_name as recipient_name,
      exists (
        select 1 from member_blocks b where b.blocker_id = i.recipient_id and b.blocked_id = i.sender_id
      ) as sender_blocked
    from introductions i
    join users s on s.id = i.sender_id
    join users r on r.id = i.recipient_id
    where i.id = ${id} and (i.sender_id = ${viewerId} or i.recipient_id = ${viewerId})
  `);
  if (!row) return undefined;
  return {
    id: row.id,
    message: row.message,
    createdAt: new Date(row.created_at),
    sender: { id: row.sender_id, username: row.sender_username, displayName: row.sender_name },
    recipient: { id: row.recipient_id, username: row.recipient_username, displayName: row.recipient_name },
    senderBlocked: row.sender_blocked,
  };
}

/** Stops a member introducing themselves to the blocker and hides each from the other's partner list. */
export async function blockMember(blockerId: number, blockedId: number) {
  await getDb().insert(memberBlocks).values({ blockerId, blockedId }).onConflictDoNothing();
}

export async function unblockMember(blockerId: number, blockedId: number) {
  await getDb()
    .delete(memberBlocks)
    .where(and(eq(memberBlocks.blockerId, blockerId), eq(memberBlocks.blockedId, blockedId)));
}
