import type { Attempt, Hold } from './holds.js';
import { violation, type Violation } from './violation.js';

/**
 * (c) Liveness: every wait ends — in an acquisition, a timeout, or an error — unless its worker was
 * killed; every hold ends; and once faults have healed, every waiter acquires. The runner makes the
 * post-heal attempts (`drain`) with a timeout far above any contention they can meet, so a drain
 * attempt that times out or fails is a stranded waiter, not an impatient one.
 */
export const checkLiveness = (attempts: ReadonlyArray<Attempt>, holds: ReadonlyArray<Hold>): Violation[] => {
  const violations: Violation[] = [];
  for (const a of attempts) {
    const id = `${a.worker}#${a.attempt}`;
    if (a.outcome === 'none' && !a.killed)
      violations.push(
        violation('liveness', `${id} began waiting at ${a.waitTs.toFixed(3)} and never settled`, a.key),
      );
    if (a.drain && a.outcome !== 'acquire' && !a.killed)
      violations.push(
        violation(
          'liveness',
          `${id} waited after faults healed and did not acquire (${a.outcome}${a.error ? `: ${a.error}` : ''})`,
          a.key,
        ),
      );
  }
  for (const h of holds)
    if (h.end === 'open')
      violations.push(
        violation(
          'liveness',
          `${h.worker}#${h.attempt} acquired at ${h.acquiredTs.toFixed(3)} and never let go`,
          h.key,
        ),
      );
  return violations;
};
