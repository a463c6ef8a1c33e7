import { sql } from "drizzle-orm";
import { executeRows } from "~/lib/db.server";

export const DASHBOARD_DAYS = 30;
export const UNANSWERED_AFTER_HOURS = 48;

export type ModerationStats = {
  waiting: number;
  oldestWaitingHours: number | null;
  /** Decisions (approve, reject, spam) per day, oldest first, one entry per day of the last 30. */
  decisionsPerDay: { day: string; count: number }[];
  medianHoursToDecision: number | null;
  unansweredQuestions: { id: number; title: string; slug: string; hoursWaiting: number }[];
};

/** The figures on the moderators' dashboard, in four aggregate reads. */
export async function getModerationStats(): Promise<ModerationStats> {
  const [waiting] = await executeRows<{ count: number; oldest_hours: number | null }>(sql`
    select count(*)::int as count,
           (extract(epoch from now() - min(created_at)) / 3600)::float8 as oldest_hours
    from (
      select created_at from posts where status = 'pending'
      union all
      select c.created_at from comments c join posts p on p.id = c.post_id
      where c.status = 'pending' and p.status <> 'removed'
    ) as waiting`);

  const perDay = await executeRows<{ day: string; count: number }>(sql`
    select to_char(days.day, 'YYYY-MM-DD') as day, count(actions.id)::int as count
    from generate_series(
           date_trunc('day', now() at time zone 'UTC') - make_interval(days => ${DASHBOARD_DAYS - 1}),
           date_trunc('day', now() at time zone 'UTC'),
           interval '1 day') as days(day)
    left join moderation_actions actions
      on actions.action in ('approve', 'reject', 'spam')
     and date_trunc('day', actions.created_at at time zone 'UTC') = days.day
    group by days.day
    order by days.day`);

  const [median] = await executeRows<{ hours: number | null }>(sql`
    select (percentile_cont(0.5) within group (
              order by extract(epoch from actions.created_at - coalesce(c.created_at, p.created_at))) / 3600)::float8 as hours
    from moderation_actions actions
    left join comments c on c.id = actions.comment_id
    left join posts p on p.id = actions.post_id
    where actions.action in ('approve', 'reject', 'spam')
      and actions.created_at > now() - make_interval(days => ${DASHBOARD_DAYS})
      and coalesce(c.created_at, p.created_at) is not null`);

  const unanswered = await executeRows<{
    id: number;
    title: string;
    slug: string;
    hours_waiting: number;
  }>(sql`
    select id, title, slug, (extract(epoch from now() - created_at) / 3600)::float8 as hours_waiting
    from posts
    where kind = 'question' and status = 'published' and comment_count = 0
      and created_at < now() - make_interval(hours => ${UNANSWERED_AFTER_HOURS})
    order by created_at
    limit 10`);

  return {
    waiting: waiting?.count ?? 0,
    oldestWaitingHours: waiting?.oldest_hours ?? null,
    decisionsPerDay: perDay.map((row) => ({ day: row.day, count: Number(row.count) })),
    medianHoursToDecision: median?.hours ?? null,
    unansweredQuestions: unanswered.map((row) => ({
      id: Number(row.id),
      title: row.title,
      slug: row.slug,
      hoursWaiting: Number(row.hours_waiting),
    })),
  };
}
