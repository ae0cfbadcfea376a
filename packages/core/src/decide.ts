import { participants } from './participant.js';

/** What a participant learns from one children listing. */
export type Decision =
  /** We are among the first `maxHolders` participants: the lock (or a slot) is ours. */
  | { readonly _tag: 'Held' }
  /** Wait until one of `watch` (child names) is deleted, then list again. Never empty. */
  | { readonly _tag: 'Wait'; readonly watch: ReadonlyArray<string> }
  /** Our own node is not in the listing: it was deleted (session expired, or removed by hand). */
  | { readonly _tag: 'Missing' };

export const held: Decision = { _tag: 'Held' };
export const missing: Decision = { _tag: 'Missing' };
export const wait = (watch: ReadonlyArray<string>): Decision => ({ _tag: 'Wait', watch });

/**
 * The mutex / semaphore rule. `children` is the parent's listing, `mine` our node's name,
 * `maxHolders` the number of slots m (1 for a mutex). Every participant (`lock-` and `read-`)
 * takes a place in the queue, so an exclusive lock also excludes readers; foreign children are
 * ignored.
 *
 * We hold when fewer than m participants precede us. Otherwise we watch the m participants
 * immediately preceding us.
 *
 * Why watching those m is sufficient: nodes only leave the queue ahead of us (newcomers get larger
 * sequence numbers and queue behind us). While all m watched nodes exist, at least m participants
 * precede us, so we cannot be entitled to a slot. Hence the first moment we become entitled, one
 * of them is already gone and its deletion watch has fired: we list again and either hold or
 * watch the next m. No free slot can go unnoticed.
 *
 * Why m watches are necessary: say we watch a set S of fewer than m predecessors. The unwatched
 * predecessors (at least i - m + 1 of them when i precede us) can leave until only m - 1
 * participants precede us, all of S among them: a slot is now ours, yet none of S has fired, and
 * we wait forever with a slot free. The 2.x rule, "watch only the immediate predecessor", is this
 * case with |S| = 1: holders A and B, waiter C watching only B; A unlocks, C is entitled to A's
 * slot, but B still exists, so C is never told (stranded while a slot is free).
 *
 * Why the *immediately* preceding ones: any m predecessors would do for liveness, but the m
 * nearest ones mean each node is watched by at most the m participants right behind it, so one
 * deletion wakes at most m waiters (no herd effect), and the waiters it wakes are the ones that
 * can actually move into the free slot first.
 */
export const decide = (children: ReadonlyArray<string>, mine: string, maxHolders: number): Decision => {
  const queue = participants(children);
  const index = queue.findIndex((p) => p.name === mine);
  if (index < 0) return missing;
  if (index < maxHolders) return held;
  return wait(queue.slice(index - maxHolders, index).map((p) => p.name));
};

/**
 * Whether a newcomer would have to wait: at least `maxHolders` participants hold or queue already
 * (zk-lock 2.x `checkLock`).
 */
export const wouldWait = (children: ReadonlyArray<string>, maxHolders: number): boolean =>
  participants(children).length >= maxHolders;
