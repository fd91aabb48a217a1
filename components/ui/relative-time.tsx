const exact = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** "just now", "5 min ago", "2 h ago", "3 days ago", or the date past a month. */
export function describeAge(at: Date, now: Date): string {
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days < 31) return days === 1 ? '1 day ago' : `${days} days ago`;
  return exact.format(at);
}

/** The exact time as the UI writes it (UTC): "8 Dec 2026, 10:02". */
export function formatExactTime(at: Date): string {
  return `${exact.format(at)} UTC`;
}

/**
 * A time as its age ("2 h ago"), rendered on the server, with the exact time in the `title` and
 * the machine-readable `dateTime`; `exact` shows the exact time instead of the age.
 */
export function RelativeTime({
  at,
  now = new Date(),
  exact: showExact = false,
}: {
  at: Date;
  now?: Date;
  exact?: boolean;
}) {
  return (
    <time dateTime={at.toISOString()} title={formatExactTime(at)}>
      {showExact ? formatExactTime(at) : describeAge(at, now)}
    </time>
  );
}
