import { faultTypes, type FaultType } from './history.js';
import { createRng } from './prng.js';

/** One fault of the plan. Targets that exist only at run time (the leader, a holder) are chosen with `choice`. */
export interface PlannedFault {
  /** Not before this offset from the start of the fault phase. */
  readonly atMs: number;
  readonly type: FaultType;
  /** How long the fault lasts before it is healed (0 for an instant fault). */
  readonly durationMs: number;
  /** An unsigned 32-bit number that picks among the candidate targets at injection time. */
  readonly choice: number;
}

export interface ScheduleOptions {
  readonly seed: number;
  /** Faults start within this span; the last one may heal a little after it. */
  readonly faultPhaseMs: number;
  readonly sessionTimeoutMs: number;
}

/** Rough cost of running one fault beyond its duration (e.g. a JVM restart), to space the plan. */
const overheadMs: Record<FaultType, number> = {
  'leader-kill': 3_000,
  'follower-pause': 0,
  'member-pause-expiry': 500,
  'worker-stall': 0,
  'worker-kill': 1_500,
  'parent-recreate': 500,
};

const durationOf = (
  type: FaultType,
  sessionTimeoutMs: number,
  int: (lo: number, hi: number) => number,
): number => {
  switch (type) {
    case 'leader-kill':
      return int(500, 2_000);
    case 'follower-pause':
      return int(1_000, sessionTimeoutMs);
    case 'member-pause-expiry':
      return sessionTimeoutMs + int(1_000, 2_500);
    case 'worker-stall':
      return sessionTimeoutMs + int(500, 2_000);
    case 'worker-kill':
      return 0;
    case 'parent-recreate':
      return 2_000;
  }
};

/**
 * The fault plan of a run, a pure function of its options: first every fault type once in a seeded
 * order (so even a short run injects each type), then types drawn at random, separated by quiet
 * gaps of 1–3 s, until the phase is full.
 */
export const planFaults = ({ seed, faultPhaseMs, sessionTimeoutMs }: ScheduleOptions): PlannedFault[] => {
  const rng = createRng(seed);
  const plan: PlannedFault[] = [];
  const firstRound = rng.shuffle(faultTypes);
  let at = rng.int(1_000, 3_000);
  while (at < faultPhaseMs) {
    const type = firstRound[plan.length] ?? rng.pick(faultTypes);
    const durationMs = durationOf(type, sessionTimeoutMs, rng.int);
    plan.push({ atMs: at, type, durationMs, choice: rng.uint32() });
    at += durationMs + overheadMs[type] + rng.int(1_000, 3_000);
  }
  return plan;
};
