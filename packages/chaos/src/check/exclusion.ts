import { activeEnd, describeHold, holdsByKey, type Hold } from './holds.js';
import { violation, type Violation } from './violation.js';

/**
 * (a) Mutual exclusion: at no instant do more than `max` holds of one key run (1 for a mutex).
 * A sweep over each key's hold boundaries; at equal times an end is taken before a start, so a
 * hold that begins exactly when another ends does not count as overlapping.
 */
export const checkExclusion = (holds: ReadonlyArray<Hold>): Violation[] => {
  const violations: Violation[] = [];
  for (const [key, list] of holdsByKey(holds)) {
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
        violations.push(
          violation(
            'exclusion',
            `${active.size} holders of a ${max === 1 ? 'mutex' : `semaphore(${max})`} at ${ts.toFixed(3)} ` +
              `for ${overlapMs.toFixed(3)} ms: ${holders.map(describeHold).join('; ')}`,
            key,
          ),
        );
      }
    }
  }
  return violations;
};
