import { activeEnd, describeHold, holdsByKey, type Hold } from './holds.js';
import { violation, type Violation } from './violation.js';

/** What `holders` running at `ts` for `overlapMs` break, in words. */
type Describe = (holders: ReadonlyArray<Hold>, max: number, ts: number, overlapMs: number) => Violation;

/**
 * At no instant do more than `max` holds of one key run. A sweep over each key's hold
 * boundaries; at equal times an end is taken before a start, so a hold that begins exactly when
 * another ends does not count as overlapping.
 */
const checkOverlaps = (holds: ReadonlyArray<Hold>, describe: Describe): Violation[] => {
  const violations: Violation[] = [];
  for (const list of holdsByKey(holds).values()) {
    const max = Math.max(1, ...list.map((h) => h.max));
    const boundaries = list.flatMap((hold) => [
      { ts: hold.acquiredTs, start: true, hold },
      { ts: activeEnd(hold), start: false, hold },
    ]);
    boundaries.sort((a, b) => a.ts - b.ts || Number(a.start) - Number(b.start));
    const active = new Set<Hold>();
    for (const { ts, start, hold } of boundaries) {
      if (!start) {
        active.delete(hold);
        continue;
      }
      active.add(hold);
      if (active.size > max) {
        const holders = [...active];
        const overlapMs = Math.min(...holders.map(activeEnd)) - ts;
        violations.push(describe(holders, max, ts, overlapMs));
      }
    }
  }
  return violations;
};

const during = (holders: ReadonlyArray<Hold>, ts: number, overlapMs: number): string =>
  `at ${ts.toFixed(3)} for ${overlapMs.toFixed(3)} ms: ${holders.map(describeHold).join('; ')}`;

/** (a) Mutual exclusion: at no instant more than `max` holders of a lock (1 for a mutex). */
export const checkExclusion = (holds: ReadonlyArray<Hold>): Violation[] =>
  checkOverlaps(
    holds.filter((hold) => hold.kind !== 'election'),
    (holders, max, ts, overlapMs) =>
      violation(
        'exclusion',
        `${holders.length} holders of a ${max === 1 ? 'mutex' : `semaphore(${max})`} ${during(holders, ts, overlapMs)}`,
        holders[0]?.key,
      ),
  );

/**
 * (a') At most one leader at a time: the same history-based sweep over the leaderships of each
 * election, from the moment a campaigner learned it leads to the moment it stopped believing so.
 */
export const checkLeadership = (holds: ReadonlyArray<Hold>): Violation[] =>
  checkOverlaps(
    holds.filter((hold) => hold.kind === 'election'),
    (holders, _max, ts, overlapMs) =>
      violation(
        'leadership',
        `${holders.length} leaders at once ${during(holders, ts, overlapMs)}`,
        holders[0]?.key,
      ),
  );
