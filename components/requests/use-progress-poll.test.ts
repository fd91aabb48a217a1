import { describe, expect, it } from 'vitest';
import { followMode, isAheadOf } from '@/components/requests/use-progress-poll';

describe('how the provisioning section follows a request', () => {
  it.each([
    // The page's parts were rendered while the job ran; progress, read a moment later, saw it fail:
    // the parts lack Retry and Roll back, so the page must refresh at once (it used to wait forever).
    [{ isLive: false, state: 'failed' }, 'provisioning', 'live'],
    [{ isLive: false, state: 'provisioned' }, 'approved', 'live'],
    [{ isLive: true, state: 'provisioning' }, 'provisioning', 'live'],
    [{ isLive: false, state: 'failed' }, 'failed', 'watch'],
    [{ isLive: false, state: 'provisioned' }, 'provisioned', 'none'],
    [{ isLive: false, state: 'rolled_back' }, 'rolled_back', 'none'],
  ] as const)('progress %o on a page rendered %s: %s', (progress, rendered, mode) => {
    expect(followMode(progress, rendered)).toBe(mode);
  });

  it('an answer is ahead of the page only when it has settled in another state', () => {
    expect(isAheadOf({ isLive: false, state: 'failed' }, 'provisioning')).toBe(true);
    expect(isAheadOf({ isLive: false, state: 'failed' }, 'failed')).toBe(false);
    expect(isAheadOf({ isLive: true, state: 'provisioning' }, 'failed')).toBe(false);
  });
});
