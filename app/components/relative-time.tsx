import { formatAbsolute, formatRelative } from "~/lib/time";

export function RelativeTime({ date, now }: { date: Date; now: Date }) {
  return (
    <time dateTime={date.toISOString()} title={formatAbsolute(date)}>
      {formatRelative(date, now)}
    </time>
  );
}
