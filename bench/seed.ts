/**
 * Fills a migrated, empty Crosswalk database with a forum of a given size in
 * a few set-based statements (generate_series, window functions), so that a
 * million comments take minutes, not hours.
 *
 * The shape is meant to look like a real community: most threads are short,
 * a few run past a thousand replies; replies nest under replies; tags follow
 * a long tail; a few members write most of the posts. Three threads have
 * exact sizes so pages of 20, 100 and 1,000 comments can be measured.
 */
import { hash } from "@node-rs/argon2";
import type postgres from "postgres";

export type ForumSize = { members: number; posts: number; comments: number };

/** Posts 1, 2 and 3 carry exactly this many approved comments. */
export const MEASURED_THREADS = {
  thread20: { id: 1, comments: 20 },
  thread100: { id: 2, comments: 100 },
  thread1000: { id: 3, comments: 1000 },
} as const;
/** Threads past a thousand replies, beside the measured one. */
const HUGE_THREADS = 12;

/**
 * The thread a posting round's `attempt`-th reply goes to: one of up to a
 * thousand ordinary threads from post 100 on, past the measured and huge
 * ones, and never past the last seeded post (a quick run seeds fewer).
 */
export function postingThreadId(attempt: number, postCount: number) {
  const first = 100;
  const span = Math.max(1, Math.min(1_000, postCount - first + 1));
  return first + (attempt % span);
}
/** Bumped whenever the seeded data changes, so a kept database is seeded again. */
export const SEED_VERSION = 2;
export const BENCH_PASSWORD = "reading-together-bench";
export const SEARCH_WORD = "library";

const TAGS = [
  "summer-reading",
  "booklists",
  "outreach",
  "teachers",
  "collaboration",
  "grants",
  "storytime",
  "graphic-novels",
  "research-skills",
  "library-cards",
  "family-literacy",
  "stem",
  "makerspace",
  "book-clubs",
  "reading-challenge",
  "curriculum",
  "4th-grade",
  "middle-school",
  "high-school",
  "early-literacy",
  "diverse-books",
  "audiobooks",
  "databases",
  "homework-help",
  "volunteers",
  "author-visits",
  "banned-books",
  "advocacy",
  "assessment",
  "programming",
  "teen-services",
  "bilingual",
  "newcomers",
  "accessibility",
  "digital-literacy",
  "field-trips",
  "public-school",
  "rural",
  "budget",
  "partnerships",
];

const FIRST_NAMES = [
  "Ana",
  "Ben",
  "Chioma",
  "Dana",
  "Eli",
  "Farah",
  "Gabe",
  "Hana",
  "Ines",
  "Jon",
  "Kemal",
  "Lena",
  "Mei",
  "Nia",
  "Omar",
  "Pia",
  "Quinn",
  "Rosa",
  "Sam",
  "Tariq",
  "Uma",
  "Vera",
  "Wes",
  "Yuki",
  "Zoe",
];
const LAST_NAMES = [
  "Alvarez",
  "Brooks",
  "Chen",
  "Dubois",
  "Evans",
  "Fischer",
  "Garcia",
  "Haddad",
  "Ito",
  "Jensen",
  "Khan",
  "Lopez",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Patel",
  "Quist",
  "Reyes",
  "Singh",
  "Tanaka",
];

const SENTENCES = [
  "We met with the fourth-grade team in September and asked what units were coming up.",
  "The public library sent a card sign-up table to back-to-school night and signed up ninety families.",
  "Our principal never answered e-mail, so I went to a staff meeting with a one-page flyer instead.",
  "A shared booklist matched to the curriculum made the teachers see us as partners, not a field trip.",
  "Summer reading numbers went up when the school library handed out public library cards in June.",
  "I would start smaller next time: one teacher, one unit, one visit, then ask for more.",
  "Graphic novels were the most borrowed books in the pop-up library at the middle school.",
  "We brought the bookmobile to the school parking lot during pickup on Thursdays.",
  "The teachers wanted research databases, so we ran a thirty-minute workshop on a PD day.",
  "Has anyone found a way to reach schools that do not have a certified librarian on staff?",
  "Our library applied for a small grant together with the district to pay for author visits.",
  "Students who visited the public library with their class came back with their families.",
  "I keep a shared spreadsheet of every contact at every school and update it each term.",
  "The reading challenge worked best when teachers counted it toward classroom goals.",
  "Bilingual storytime brought in families we had never seen at the library before.",
  "We learned to ask the teachers what they needed instead of telling them what we offer.",
  "Homework help nights filled up once the school sent the flyer home in every backpack.",
  "A library card for every student is still the single best thing we ever did together.",
  "Ask the school secretary: she knows which teachers would say yes before anyone else does.",
  "The makerspace kits went out to classrooms on a two-week rotation and came back intact.",
];

/** A small deterministic generator, so every run seeds the same forum. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function escapeHtml(text: string) {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const WORDS = [
  ...new Set(
    SENTENCES.join(" ")
      .toLowerCase()
      .replace(/[^a-z\s-]/g, "")
      .split(/\s+/),
  ),
];

/**
 * A sentence of its own: real comments rarely repeat each other word for word,
 * and a body made only of a few stock sentences would compress far better on
 * the wire than anything a person writes.
 */
function freshSentence(random: () => number) {
  const words = Array.from(
    { length: 8 + Math.floor(random() * 14) },
    () => WORDS[Math.floor(random() * WORDS.length)]!,
  );
  const sentence = words.join(" ");
  return `${sentence[0]!.toUpperCase()}${sentence.slice(1)}${random() < 0.2 ? "?" : "."}`;
}

/** Bodies as an author would write them, and as the markdown pipeline would cook them. */
function makeBodies(count: number, random: () => number) {
  const bodies: { md: string; html: string }[] = [];
  for (let index = 0; index < count; index++) {
    const paragraphs = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
      Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        random() < 0.5 ? SENTENCES[Math.floor(random() * SENTENCES.length)] : freshSentence(random),
      ).join(" "),
    );
    const emphasised = random() < 0.3;
    const md = paragraphs
      .map((text, at) => (emphasised && at === 0 ? `**Tip:** ${text}` : text))
      .join("\n\n");
    const html = paragraphs
      .map(
        (text, at) => `<p>${emphasised && at === 0 ? "<strong>Tip:</strong> " : ""}${escapeHtml(text)}</p>`,
      )
      .join("\n");
    bodies.push({ md, html });
  }
  return bodies;
}

type Progress = (label: string, done: number, total: number) => void;

export async function seedForum(sql: postgres.Sql, size: ForumSize, progress: Progress) {
  const random = seededRandom(20261128);
  const passwordHash = await hash(BENCH_PASSWORD);
  const bodies = makeBodies(5_000, random);
  const steps = 6;
  let step = 0;
  const advance = (label: string) => progress(label, ++step, steps);

  await sql`select setseed(0.42)`;
  await sql`
    create temporary table bench_bodies (n integer primary key, md text not null, html text not null)
  `;
  await sql`insert into bench_bodies ${sql(bodies.map((body, n) => ({ n, md: body.md, html: body.html })))}`;
  const bodyCount = bodies.length;

  await sql`
    insert into users (id, email, username, display_name, password_hash, role, library_type, community,
                       region, approved_count, open_to_partnering, created_at, updated_at)
    select i, 'member' || i || '@bench.example', 'member' || i,
           (${FIRST_NAMES}::text[])[1 + i % ${FIRST_NAMES.length}] || ' ' ||
             (${LAST_NAMES}::text[])[1 + (i / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}],
           ${passwordHash}, case when i = 1 then 'admin'::user_role else 'member'::user_role end,
           (array['school', 'public', 'school', 'public', 'academic', 'other']::library_type[])[1 + i % 6],
           'Town ' || (i % 400), 'Region ' || (i % 50), 10, i % 3 = 0,
           now() - make_interval(days => 400) + make_interval(mins => i), now()
    from generate_series(1, ${size.members}) as i
  `;
  advance("members");

  await sql`
    insert into tags (id, name, description)
    select n, name, 'Posts about ' || replace(name, '-', ' ') || '.'
    from unnest(${TAGS}::text[]) with ordinality as t(name, n)
  `;

  // Planned replies per thread: three measured threads, a dozen past a thousand,
  // and an exponential tail for the rest that adds up to the requested total.
  const hugeTotal = size.comments >= 100_000 ? HUGE_THREADS * 2_000 : 0;
  const measuredTotal = 20 + 100 + 1000;
  const restMean =
    Math.max(0, size.comments - measuredTotal - hugeTotal) /
    Math.max(1, size.posts - 3 - (hugeTotal ? HUGE_THREADS : 0));
  await sql`
    create temporary table bench_plan as
    select i as post_id,
           case
             when i = ${MEASURED_THREADS.thread20.id} then ${MEASURED_THREADS.thread20.comments}
             when i = ${MEASURED_THREADS.thread100.id} then ${MEASURED_THREADS.thread100.comments}
             when i = ${MEASURED_THREADS.thread1000.id} then ${MEASURED_THREADS.thread1000.comments}
             when ${hugeTotal} > 0 and i between 4 and ${3 + HUGE_THREADS} then 1000 + floor(random() * 2000)::int
             else floor(-ln(1 - random()) * ${restMean})::int
           end as planned
    from generate_series(1, ${size.posts}) as i
  `;
  await sql`
    alter table bench_plan add column first_comment bigint;
    update bench_plan p set first_comment = s.first from (
      select post_id, 1 + coalesce(sum(planned) over (order by post_id rows between unbounded preceding and 1 preceding), 0) as first
      from bench_plan
    ) s where s.post_id = p.post_id;
    create index on bench_plan (post_id);
  `.simple();

  // Posts: authors drawn with a long tail (a few members write most), newest activity last.
  await sql`
    insert into posts (id, author_id, kind, title, slug, body_md, body_html, status, created_at,
                       updated_at, last_activity_at)
    select i, 1 + floor(power(random(), 2) * ${size.members})::int,
           (array['question', 'discussion', 'idea', 'story']::post_kind[])[1 + i % 4],
           t.title || ' (' || i || ')', t.slug || '-' || i, b.md, b.html, 'published',
           now() - make_interval(mins => ${size.posts} - i + 600), now(),
           now() - make_interval(mins => ${size.posts} - i + 600)
    from generate_series(1, ${size.posts}) as i
    join bench_bodies b on b.n = (i * 7919) % ${bodyCount}
    cross join lateral (
      select (array[
        'How do I get a foot in the door at a school that never answers?',
        'Booklist matched to the 4th-grade curriculum',
        'Summer reading partnership with our district',
        'Workshop for teachers on research databases',
        'Library cards for every student: what worked',
        'Pop-up library at the middle school'
      ])[1 + i % 6] as title,
      (array['foot-in-the-door', 'booklist-4th-grade', 'summer-reading-partnership',
             'teacher-workshop-databases', 'library-cards-every-student', 'pop-up-library'])[1 + i % 6] as slug
    ) t
  `;
  advance("posts");

  await sql`
    insert into post_tags (post_id, tag_id)
    select distinct i, 1 + floor(power(random(), 2) * ${TAGS.length})::int
    from generate_series(1, ${size.posts}) as i, generate_series(1, 1 + (i % 3))
  `;
  advance("tags");

  // Replies in blocks of five: a reply to the post, a reply to it, a reply to
  // that, another reply to the first, and a reply to that one; so a fifth of
  // the comments start a conversation and the rest nest up to three deep.
  const batches = 20;
  const perBatch = Math.ceil(size.posts / batches);
  for (let batch = 0; batch < batches; batch++) {
    const from = batch * perBatch + 1;
    const to = Math.min(size.posts, (batch + 1) * perBatch);
    await sql`
      insert into comments (id, post_id, parent_id, depth, author_id, body_md, body_html, status,
                            created_at, updated_at)
      select c.id, p.post_id,
             case m when 0 then null when 3 then c.id - 3 else c.id - 1 end,
             case m when 0 then 1 when 1 then 2 when 2 then 3 when 3 then 2 else 3 end,
             1 + floor(power(random(), 3) * ${size.members})::int,
             b.md, b.html, 'approved',
             po.created_at + make_interval(secs => k * 37), now()
      from bench_plan p
      join posts po on po.id = p.post_id
      cross join lateral generate_series(1, p.planned) as k
      cross join lateral (select p.first_comment + k - 1 as id, (k - 1) % 5 as m) c
      join bench_bodies b on b.n = (c.id * 104729) % ${bodyCount}
      where p.post_id between ${from} and ${to}
    `;
    progress("comments", batch + 1, batches);
  }
  advance("comments");

  // A held reply here and there, as the moderation queue would have: only a
  // thread's last comment (a leaf), never in the measured threads.
  await sql`
    update comments c set status = 'pending'
    from bench_plan p
    where c.id = p.first_comment + p.planned - 1 and p.planned > 0 and p.post_id > 3 and p.post_id % 97 = 0
  `;
  await sql`
    update posts po set comment_count = s.approved, last_activity_at = greatest(po.last_activity_at, s.latest)
    from (
      select post_id, count(*) filter (where status = 'approved')::int as approved, max(created_at) as latest
      from comments group by post_id
    ) s where s.post_id = po.id
  `;
  await sql`
    update tags t set post_count = s.n
    from (select tag_id, count(*)::int as n from post_tags group by tag_id) s where s.tag_id = t.id
  `;
  await sql`
    update users u set approved_count = u.approved_count + s.n
    from (select author_id, count(*)::int as n from comments group by author_id) s where s.author_id = u.id
  `;
  advance("counters");

  await sql`
    select setval(pg_get_serial_sequence('users', 'id'), (select max(id) from users));
    select setval(pg_get_serial_sequence('posts', 'id'), (select max(id) from posts));
    select setval(pg_get_serial_sequence('comments', 'id'), (select coalesce(max(id), 1) from comments));
    select setval(pg_get_serial_sequence('tags', 'id'), (select max(id) from tags));
  `.simple();
  await sql`vacuum analyze`.simple();
  advance("analyze");
}
