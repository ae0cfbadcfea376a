import { participants } from './participant.js';

/** What a participant learns from one children listing. */
export type Decision =
  /** We are among the first `maxHolders` participants: the lock (or a slot) is ours. */
  | { readonly _tag: 'Held' }
  /**
   * Wait for deletions among `watch` (child names, never empty). With `countdown`, `watch` is every
   * participant ahead of us, so each deletion says exactly how many remain (see `afterDeletion`);
   * without, the first deletion means: list again.
   */
  | { readonly _tag: 'Wait'; readonly watch: ReadonlyArray<string>; readonly countdown: boolean }
  /** Our own node is not in the listing: it was deleted (session expired, or removed by hand). */
  | { readonly _tag: 'Missing' };

export const held: Decision = { _tag: 'Held' };
export const missing: Decision = { _tag: 'Missing' };
export const wait = (watch: ReadonlyArray<string>, countdown = false): Decision => ({
  _tag: 'Wait',
  watch,
  countdown,
});

/**
 * The mutex / semaphore rule. `children` is the parent's listing, `mine` our node's name,
 * `maxHolders` the number of slots m (1 for a mutex). Every participant (`lock-` and `read-`)
 * takes a place in the queue, so an exclusive lock also excludes readers; foreign children are
 * ignored. With i participants ahead of us:
 * - i < m: we hold.
 * - m <= i < 2m (near the front): we watch all i and count down (`afterDeletion`): we hold once
 *   fewer than m of them remain, without listing again.
 * - i >= 2m: we watch the m participants m to 2m - 1 places ahead of us, and list again when one
 *   of them is deleted.
 *
 * Why this is safe: nodes only leave the queue ahead of us (newcomers get larger sequence numbers
 * and queue behind us). A countdown watches every node ahead, and each watched deletion is a fact
 * (a deleted sequential name never comes back), so "fewer than m remain" is never early.
 *
 * Why no free slot goes unnoticed: while all m watched nodes of a far waiter exist, at least m
 * participants precede it, so it cannot be entitled; the first moment it can be, one of them is
 * gone and its watch has fired, and it lists again. A countdown sees every deletion ahead of it.
 * Fewer than m watches would not do: the unwatched predecessors could leave until only m - 1
 * remain, all watched ones among them, and nothing would fire. The 2.x rule, "watch only the
 * immediate predecessor", is that case: holders A and B, waiter C watching only B; A unlocks, C
 * is entitled to A's slot, but B still exists, so C is never told (stranded while a slot is free).
 *
 * Why these m and the countdown: any m predecessors would do for liveness. Watching those m to
 * 2m - 1 places ahead means that when the queue moves in order, a far waiter lists again while
 * 2m - 2 others are still ahead of it, and counts down from there: the hand-over of a slot then
 * costs the holder's delete and its notification, not a listing on top (benchmark W4h). For a
 * mutex (m = 1) the far watch is the immediate predecessor and the countdown a single watch. Each
 * node is watched by at most m far waiters and by the countdowns, which are the at most m waiters
 * with fewer than 2m ahead: one deletion wakes at most 2m waiters (no herd effect).
 */
export const decide = (children: ReadonlyArray<string>, mine: string, maxHolders: number): Decision => {
  const queue = participants(children);
  const index = queue.findIndex((p) => p.name === mine);
  if (index < 0) return missing;
  if (index < maxHolders) return held;
  if (index < 2 * maxHolders) return wait(namesOf(queue.slice(0, index)), true);
  return wait(namesOf(queue.slice(index - 2 * maxHolders + 1, index - maxHolders + 1)));
};

const namesOf = (queue: ReadonlyArray<{ readonly name: string }>): ReadonlyArray<string> =>
  queue.map((p) => p.name);

/**
 * A countdown `Wait` after the node `deleted`, one of those ahead of us, is gone: Held when fewer
 * than `maxHolders` remain ahead, else the wait on the rest. `undefined` (list again) when
 * `decision` is no countdown, or `deleted` is not one of those ahead (our own node, say).
 */
export const afterDeletion = (
  decision: Decision | undefined,
  deleted: string,
  maxHolders: number,
): Decision | undefined => {
  if (decision?._tag !== 'Wait' || !decision.countdown || !decision.watch.includes(deleted)) return undefined;
  const remaining = decision.watch.filter((name) => name !== deleted);
  return remaining.length < maxHolders ? held : wait(remaining, true);
};

/**
 * Whether a newcomer would have to wait: at least `maxHolders` participants hold or queue already
 * (zk-lock 2.x `checkLock`).
 */
export const wouldWait = (children: ReadonlyArray<string>, maxHolders: number): boolean =>
  participants(children).length >= maxHolders;
