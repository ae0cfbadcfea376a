import { faultTypes, type FaultType, type HistoryEvent } from '../history.js';
import { checkExclusion, checkLeadership } from './exclusion.js';
import { checkFencing } from './fencing.js';
import { deriveHolds } from './holds.js';
import { checkLeftovers, type FinalScan } from './leftovers.js';
import { checkLiveness } from './liveness.js';
import { checkLostTiming } from './lost-timing.js';
import { violation, type Violation } from './violation.js';

export type { FinalScan } from './leftovers.js';
export { normalizeSessionId } from './lost-timing.js';
export type { CheckName, Violation } from './violation.js';

export interface CheckInput {
  readonly history: ReadonlyArray<HistoryEvent>;
  readonly scan: FinalScan;
  /** Session expiry times from the servers' logs (monotonic ms), keyed by normalized session id. */
  readonly expiries: ReadonlyMap<string, number>;
  readonly logToleranceMs: number;
}

/** The figures of a run; the runner prints them as its last line. */
export interface Figures {
  readonly acquisitions: number;
  /** How many of the acquisitions were leaderships won by a campaign. */
  readonly leaderships: number;
  readonly faults: Record<FaultType, number>;
  readonly lost: number;
  readonly violations: number;
  /** How long after the server expired a session its running holder was told; ≤ 0 is the goal. */
  readonly worst_lost_after_expiry_ms: number | null;
  readonly lost_with_known_expiry: number;
  /** How long a holder whose event loop was blocked across its expiry still believed it held once running. */
  readonly worst_stalled_holder_tail_ms: number | null;
  readonly timeouts: number;
  readonly errors: number;
  readonly leftover_lock_nodes: number;
  readonly open_sessions: number;
  readonly tracked_sessions: number;
}

export interface CheckResult {
  readonly violations: ReadonlyArray<Violation>;
  readonly figures: Figures;
}

const round = (ms: number | null): number | null => (ms === null ? null : Math.round(ms * 1000) / 1000);

/** Runs every check of issue 6 over a merged history and the final scan. Pure. */
export const checkHistory = ({ history, scan, expiries, logToleranceMs }: CheckInput): CheckResult => {
  const { holds, attempts, malformed } = deriveHolds(history);
  const timing = checkLostTiming({ holds, expiries, logToleranceMs });
  const violations = [
    ...malformed.map((e) =>
      violation(
        'history',
        `${e.event} of ${e.worker}#${e.attempt} fits no attempt at ${e.ts.toFixed(3)}`,
        e.key,
      ),
    ),
    ...history.flatMap((e) =>
      e.type === 'worker' && e.event === 'crashed'
        ? [violation('crash', `${e.worker} died at ${e.ts.toFixed(3)}: ${e.detail ?? 'no detail'}`)]
        : e.type === 'phase' && e.phase === 'aborted'
          ? [violation('aborted', `fault plan aborted at ${e.ts.toFixed(3)}: ${e.detail ?? 'no detail'}`)]
          : [],
    ),
    ...checkExclusion(holds),
    ...checkLeadership(holds),
    ...checkFencing(holds),
    ...checkLiveness(attempts, holds),
    ...checkLeftovers(scan),
    ...timing.violations,
  ];
  const faults = Object.fromEntries(faultTypes.map((f) => [f, 0])) as Record<FaultType, number>;
  for (const e of history) if (e.type === 'fault' && e.phase === 'inject') faults[e.fault] += 1;
  return {
    violations,
    figures: {
      acquisitions: holds.length,
      leaderships: holds.filter((h) => h.kind === 'election').length,
      faults,
      lost: holds.filter((h) => h.end === 'lost').length,
      violations: violations.length,
      worst_lost_after_expiry_ms: round(timing.worstLostAfterExpiryMs),
      lost_with_known_expiry: timing.measured,
      worst_stalled_holder_tail_ms: round(timing.worstStalledTailMs),
      timeouts: attempts.filter((a) => a.outcome === 'timeout').length,
      errors: attempts.filter((a) => a.outcome === 'error').length,
      leftover_lock_nodes: scan.lockNodes.length,
      open_sessions: scan.openSessions.length,
      tracked_sessions: scan.trackedSessions,
    },
  };
};
