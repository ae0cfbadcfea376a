import { describeHold, holdsByKey, type Hold } from './holds.js';
import { violation, type Violation } from './violation.js';

/**
 * (b) Fencing tokens, per key:
 * 1. every acquisition carries a token, and no two acquisitions share one;
 * 2. mutex and election keys: tokens strictly increase in acquisition order (holds never
 *    overlap, so the order is total);
 * 3. every key: if A had acquired before B began to wait, A's token is smaller than B's.
 *
 * Why rule 3 and not acquisition order for semaphores: a token is the parent's czxid and the
 * node's sequence, so tokens grow in the order the lock nodes were *created* (sequences grow within
 * one parent; a recreated parent has a larger czxid). B's node is created after B starts waiting,
 * and A's node existed when A acquired, so "A acquired before B waited" implies "A's node is
 * older", hence the smaller token. The converse order is not promised for a semaphore: when
 * slots free up in quick succession, which waiting client *hears* of its slot first is a race, so
 * a younger node can be observed acquiring before an older one. Rule 3 is what a semaphore's tokens
 * promise: a holder that took over a slot freed by an earlier holder (which had acquired before the
 * newcomer waited) always carries the larger token.
 */
export const checkFencing = (holds: ReadonlyArray<Hold>): Violation[] => {
  const violations: Violation[] = [];
  for (const [key, list] of holdsByKey(holds)) {
    const seen = new Map<bigint, Hold>();
    for (const hold of list) {
      if (hold.token === undefined) {
        violations.push(violation('fencing', `acquisition without a token: ${describeHold(hold)}`, key));
        continue;
      }
      const twin = seen.get(hold.token);
      if (twin !== undefined)
        violations.push(
          violation('fencing', `token reused: ${describeHold(twin)} and ${describeHold(hold)}`, key),
        );
      seen.set(hold.token, hold);
    }

    const tokened = list.filter((h): h is Hold & { token: bigint } => h.token !== undefined);
    if (tokened.every((h) => h.kind === 'mutex' || h.kind === 'election')) {
      for (let i = 1; i < tokened.length; i++) {
        const [before, after] = [tokened[i - 1]!, tokened[i]!];
        if (after.token <= before.token)
          violations.push(
            violation(
              'fencing',
              `token went backwards in acquisition order: ${describeHold(before)} then ${describeHold(after)}`,
              key,
            ),
          );
      }
    }

    // Prefix maxima over acquisition order answer "the largest token acquired before t" by bisection.
    const prefixMax: Array<Hold & { token: bigint }> = [];
    for (const hold of tokened) {
      const previous = prefixMax[prefixMax.length - 1];
      prefixMax.push(previous !== undefined && previous.token > hold.token ? previous : hold);
    }
    for (const hold of tokened) {
      if (hold.waitTs === undefined) continue;
      let lo = 0;
      let hi = tokened.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (tokened[mid]!.acquiredTs < hold.waitTs) lo = mid + 1;
        else hi = mid;
      }
      const older = lo > 0 ? prefixMax[lo - 1] : undefined;
      if (older !== undefined && older.token >= hold.token)
        violations.push(
          violation(
            'fencing',
            `token not above one acquired before this attempt began waiting: ${describeHold(older)} ` +
              `acquired before ${hold.worker}#${hold.attempt} waited at ${hold.waitTs.toFixed(3)}: ${describeHold(hold)}`,
            key,
          ),
        );
    }
  }
  return violations;
};
