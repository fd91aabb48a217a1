import { describe, expect, it } from 'vitest';
import { formatAge, formatUtc } from '@/components/ui/relative-time';

const now = new Date('2026-12-07T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('formatAge', () => {
  it.each([
    { then: ago(0), text: 'just now' },
    { then: ago(59_000), text: 'just now' },
    { then: ago(60_000), text: '1 min ago' },
    { then: ago(59 * 60_000), text: '59 min ago' },
    { then: ago(2 * 3_600_000 + 5_000), text: '2 h ago' },
    { then: ago(23 * 3_600_000), text: '23 h ago' },
    { then: ago(24 * 3_600_000), text: '1 day ago' },
    { then: ago(30 * 86_400_000), text: '30 days ago' },
    { then: new Date('2026-10-02T08:00:00Z'), text: 'on 2026-10-02' },
    // A clock a little ahead of the database's: never "in the future".
    { then: new Date(now.getTime() + 5_000), text: 'just now' },
  ])('$text', ({ then, text }) => {
    expect(formatAge(then, now)).toBe(text);
  });

  it('gives the exact time in UTC for the title', () => {
    expect(formatUtc(new Date('2026-12-07T22:10:03.456Z'))).toBe('2026-12-07 22:10:03 UTC');
  });
});
