import { activeEnd, describeHold, holdsByKey, type Hold } from './holds.js';
import { violation, type Violation } from './violation.js';

/** A session id as 16 lowercase hex digits, however it was written (`0x1a2b`, `00000000001a2b`). */
export const normalizeSessionId = (id: string): string =>
  BigInt(id.startsWith('0x') ? id : `0x${id}`)
    .toString(16)
    .padStart(16, '0');

export interface LostTimingInput {
  readonly holds: ReadonlyArray<Hold>;
  /** When a server expired each session (from the servers' logs), keyed by normalized session id. */
  readonly expiries: ReadonlyMap<string, number>;
  /** How far a log time may be off the monotonic clock (log resolution and clock mapping), in ms. */
  readonly logToleranceMs: number;
}

export interface LostTiming {
  readonly violations: Violation[];
  /** Max over running holders of (lost − expiry); `null` when no `lost` had a known expiry. */
  readonly worstLostAfterExpiryMs: number | null;
  /** How many `lost` notifications of running holders had an expiry to compare with. */
  readonly measured: number;
  /** Max over stalled holders of how long after the stall they still believed they held. */
  readonly worstStalledTailMs: number | null;
}

/**
 * The earliest moment another client is known to have taken `lost`'s place: another hold of the
 * key acquired after it while `max - 1` other holds ran, so `lost`'s node must already have been
 * gone (for a mutex: any later acquisition). Hold intervals lie inside node lifetimes, so this is an
 * upper bound of when the server let the session's node go.
 */
const competitorBound = (lost: Hold, sameKey: ReadonlyArray<Hold>): number | undefined => {
  for (const competitor of sameKey) {
    if (competitor === lost || competitor.acquiredTs <= lost.acquiredTs) continue;
    const t = competitor.acquiredTs;
    const others = sameKey.filter(
      (h) => h !== lost && h !== competitor && h.acquiredTs < t && activeEnd(h) > t,
    ).length;
    if (others >= competitor.max - 1) return t;
  }
  return undefined;
};

const maxOrNull = (values: ReadonlyArray<number>): number | null =>
  values.length === 0 ? null : Math.max(...values);

interface Bound {
  readonly ts: number;
  readonly tolerance: number;
  readonly source: string;
}

/**
 * (e) Every `lost` reaches a running holder no later than the server expires its session. The
 * expiry is the earlier of the server log's "Expiring session" time and the competitor bound
 * above. A running holder that is never told, yet still holds after its session's logged expiry,
 * breaks the same promise. A holder whose event loop was blocked across the expiry (a stall)
 * cannot be told while it does not run; its tail after the stall is reported
 * (`worstStalledTailMs`), not judged here: that window is what fencing tokens are for.
 */
export const checkLostTiming = ({ holds, expiries, logToleranceMs }: LostTimingInput): LostTiming => {
  const violations: Violation[] = [];
  const lateness: number[] = [];
  const tails: number[] = [];
  const byKey = holdsByKey(holds);
  for (const hold of holds) {
    if (hold.stall !== undefined) {
      if (Number.isFinite(hold.endTs)) tails.push(Math.max(0, hold.endTs - hold.stall.to));
      continue;
    }
    const logged = hold.session === undefined ? undefined : expiries.get(normalizeSessionId(hold.session));
    const fromLog: Bound[] =
      logged === undefined ? [] : [{ ts: logged, tolerance: logToleranceMs, source: 'server log' }];
    let bound: Bound | undefined;
    if (hold.end === 'lost') {
      const competitor = competitorBound(hold, byKey.get(hold.key) ?? []);
      const fromCompetitor =
        competitor === undefined ? [] : [{ ts: competitor, tolerance: 0, source: 'competitor acquisition' }];
      bound = [...fromLog, ...fromCompetitor].sort((a, b) => a.ts - b.ts)[0];
    } else if (hold.end === 'release') {
      bound = fromLog[0];
    }
    if (bound === undefined) continue;
    const late = hold.endTs - bound.ts;
    if (hold.end === 'release' && late <= bound.tolerance) continue;
    lateness.push(late);
    if (late > bound.tolerance)
      violations.push(
        violation(
          'lost-timing',
          (hold.end === 'lost'
            ? `lost ${late.toFixed(3)} ms after`
            : `never told, and released ${late.toFixed(3)} ms after`) +
            ` the session's expiry (${bound.source} at ${bound.ts.toFixed(3)}): ${describeHold(hold)}`,
          hold.key,
        ),
      );
  }
  return {
    violations,
    worstLostAfterExpiryMs: maxOrNull(lateness),
    measured: lateness.length,
    worstStalledTailMs: maxOrNull(tails),
  };
};
