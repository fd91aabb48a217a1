/**
 * How long ago `then` was, in the console's short words: "just now", "5 min ago", "2 h ago",
 * "3 days ago", then the date ("on 2026-11-02") past a month.
 */
export function formatAge(then: Date, now: Date): string {
  const seconds = Math.max(0, Math.floor((now.getTime() - then.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 31) return days === 1 ? '1 day ago' : `${days} days ago`;
  return `on ${then.toISOString().slice(0, 10)}`;
}

/** The exact time in UTC, e.g. "2026-12-07 22:10:03 UTC". */
export function formatUtc(at: Date): string {
  const text = at.toISOString();
  return `${text.slice(0, 10)} ${text.slice(11, 19)} UTC`;
}

/** "2 h ago", with the exact time (UTC) as its title and machine-readable `dateTime`. */
export function RelativeTime({ at, now, className = '' }: { at: Date; now: Date; className?: string }) {
  return (
    <time dateTime={at.toISOString()} title={formatUtc(at)} className={className}>
      {formatAge(at, now)}
    </time>
  );
}
