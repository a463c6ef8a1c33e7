import { Link } from "@remix-run/react";
import type { ModerationStats } from "~/models/moderation-stats.server";

function formatHours(hours: number | null) {
  if (hours === null) return "none yet";
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} minutes`;
  if (hours < 48) return `${Math.round(hours)} hours`;
  return `${Math.round(hours / 24)} days`;
}

/** Decisions per day as a bar chart drawn on the server, with its figures also given in words. */
function DecisionsChart({ days }: { days: ModerationStats["decisionsPerDay"] }) {
  const width = 600;
  const height = 120;
  const gap = 2;
  const max = Math.max(1, ...days.map((day) => day.count));
  const barWidth = days.length > 0 ? width / days.length - gap : 0;
  const total = days.reduce((sum, day) => sum + day.count, 0);
  const busiest = days.reduce<{ day: string; count: number } | null>(
    (best, day) => (day.count > (best?.count ?? 0) ? day : best),
    null,
  );
  const summary =
    total === 0
      ? "No decisions in the last 30 days."
      : `${total} decisions in the last 30 days; the busiest day was ${busiest?.day} with ${busiest?.count}.`;
  return (
    <figure className="dashboard__chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby="decisions-chart-title decisions-chart-summary"
        preserveAspectRatio="none"
      >
        <title id="decisions-chart-title">Decisions per day, last 30 days</title>
        {days.map((day, index) => {
          const barHeight = (day.count / max) * (height - 4);
          return (
            <rect
              key={day.day}
              x={index * (barWidth + gap)}
              y={height - barHeight}
              width={barWidth}
              height={barHeight}
              className="dashboard__bar"
            >
              <title>{`${day.day}: ${day.count}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption id="decisions-chart-summary">{summary}</figcaption>
    </figure>
  );
}

/** The moderators' overview, at the foot of /mod (the queue itself comes first). */
export function ModerationDashboard({ stats }: { stats: ModerationStats }) {
  return (
    <section className="dashboard" aria-labelledby="dashboard-heading">
      <h2 id="dashboard-heading">At a glance</h2>
      <dl className="dashboard__figures">
        <div>
          <dt>Waiting</dt>
          <dd>{stats.waiting}</dd>
        </div>
        <div>
          <dt>Oldest waiting</dt>
          <dd>{stats.waiting === 0 ? "nothing waits" : formatHours(stats.oldestWaitingHours)}</dd>
        </div>
        <div>
          <dt>Median time to a decision (30 days)</dt>
          <dd>{formatHours(stats.medianHoursToDecision)}</dd>
        </div>
        <div>
          <dt>Questions with no reply after 48 hours</dt>
          <dd>{stats.unansweredQuestions.length}</dd>
        </div>
      </dl>
      <DecisionsChart days={stats.decisionsPerDay} />
      {stats.unansweredQuestions.length > 0 ? (
        <>
          <h3>Questions nobody has answered yet</h3>
          <ul>
            {stats.unansweredQuestions.map((question) => (
              <li key={question.id}>
                <Link to={`/posts/${question.id}/${question.slug}`}>{question.title}</Link> (
                {formatHours(question.hoursWaiting)})
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
