import { describe, expect, it } from 'vitest';
import { connectFailureLeak } from '../src/repro/connect-failure-leak.js';
import { followerTouchLag } from '../src/repro/follower-touch-lag.js';

// What chaos runs found, reduced to one deterministic scenario each (see src/repro/), so the fixes stay fixed.
describe('chaos findings, reproduced', () => {
  it('a holder on a follower that stops right after answering is told lost before a competitor acquires', async () => {
    const lag = await followerTouchLag();
    console.log(`follower touch lag: ${JSON.stringify(lag)}`);
    expect(lag.lostAfterCompetitorMs).toBeLessThan(0);
  });

  it('a lock whose session fails to confirm leaves no session behind', async () => {
    const leak = await connectFailureLeak();
    expect(leak.rejection).toMatch(/CONNECTION_LOSS/);
    expect(leak.sessionsOpen).toBe(0);
  });
});
