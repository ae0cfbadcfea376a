import type { SnapshotFrom } from 'xstate';
import type { lockMachine } from './lock-machine.js';
import type { LockContext, LockError, LockTag } from './types.js';

export type LockSnapshot = SnapshotFrom<typeof lockMachine>;

/** What the outcome and the window read of a snapshot: its tags (what a state means), context and status. */
export interface LockSnapshotView {
  readonly context: LockContext;
  readonly status: string;
  hasTag(tag: LockTag): boolean;
}

/** A snapshot seen from a lock's user: what a facade maps to its own states, errors and signals. */
export type LockOutcome =
  /** Not held yet: idle, connecting, creating, evaluating or waiting. */
  | { readonly _tag: 'Acquiring'; readonly suspended: boolean }
  | { readonly _tag: 'Held'; readonly fencingToken: bigint; readonly suspended: boolean }
  /** Removing the node (after a release, or on the way to another outcome). */
  | { readonly _tag: 'Releasing' }
  | { readonly _tag: 'Released' }
  | { readonly _tag: 'TimedOut' }
  | { readonly _tag: 'AlreadyLocked' }
  | { readonly _tag: 'Cancelled' }
  /** The session is gone; `wasHeld` tells a lost lock from a lost wait. */
  | { readonly _tag: 'Lost'; readonly wasHeld: boolean; readonly error: LockError | undefined }
  | { readonly _tag: 'Failed'; readonly error: LockError | undefined }
  | { readonly _tag: 'Destroyed' };

/** Constant outcomes, shared: a facade reads many snapshots and most of them end up here. */
const RELEASING: LockOutcome = { _tag: 'Releasing' };
const ACQUIRING: LockOutcome = { _tag: 'Acquiring', suspended: false };
const ACQUIRING_SUSPENDED: LockOutcome = { _tag: 'Acquiring', suspended: true };
/** The final states whose outcome carries nothing, by their tag. */
const ENDED: ReadonlyArray<readonly [LockTag, LockOutcome]> = [
  ['released', { _tag: 'Released' }],
  ['timedOut', { _tag: 'TimedOut' }],
  ['alreadyLocked', { _tag: 'AlreadyLocked' }],
  ['cancelled', { _tag: 'Cancelled' }],
  ['destroyed', { _tag: 'Destroyed' }],
];

/** Maps a snapshot to its outcome by the tags of its states (see `LockTag`). */
export const lockOutcome = (snapshot: LockSnapshotView): LockOutcome => {
  const { context } = snapshot;
  if (snapshot.hasTag('acquiring')) return snapshot.hasTag('suspended') ? ACQUIRING_SUSPENDED : ACQUIRING;
  if (snapshot.hasTag('held'))
    return {
      _tag: 'Held',
      fencingToken: context.fencingToken ?? 0n,
      suspended: snapshot.hasTag('suspended'),
    };
  if (snapshot.hasTag('releasing')) return RELEASING;
  if (snapshot.hasTag('lost'))
    return { _tag: 'Lost', wasHeld: context.fencingToken !== undefined, error: context.error };
  if (snapshot.hasTag('failed')) return { _tag: 'Failed', error: context.error };
  for (const [tag, outcome] of ENDED) if (snapshot.hasTag(tag)) return outcome;
  // Every state carries one of the tags above; a snapshot without (none of this machine) acquires.
  return ACQUIRING;
};

/**
 * Whether the attempt is busy with requests of its own: from `idle` (about to send them) until it
 * holds, waits for a predecessor, awaits a reconnect, or ends (the states tagged `busy`). A shell
 * that limits how many attempts share a session at once counts only these (a waiting one never
 * blocks another).
 */
export const busyWithRequests = (snapshot: LockSnapshotView): boolean =>
  snapshot.status === 'active' && snapshot.hasTag('busy');
