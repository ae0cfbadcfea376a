import type { SnapshotFrom } from 'xstate';
import type { lockMachine } from './lock-machine.js';
import type { LockError } from './types.js';

export type LockSnapshot = SnapshotFrom<typeof lockMachine>;

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

export const lockOutcome = (snapshot: LockSnapshot): LockOutcome => {
  const { context } = snapshot;
  if (snapshot.matches('held'))
    return {
      _tag: 'Held',
      fencingToken: context.fencingToken ?? 0n,
      suspended: snapshot.matches({ held: 'suspended' }),
    };
  if (snapshot.matches('releasing')) return { _tag: 'Releasing' };
  if (snapshot.matches('released')) return { _tag: 'Released' };
  if (snapshot.matches('timedOut')) return { _tag: 'TimedOut' };
  if (snapshot.matches('alreadyLocked')) return { _tag: 'AlreadyLocked' };
  if (snapshot.matches('cancelled')) return { _tag: 'Cancelled' };
  if (snapshot.matches('lost'))
    return { _tag: 'Lost', wasHeld: context.fencingToken !== undefined, error: context.error };
  if (snapshot.matches('failed')) return { _tag: 'Failed', error: context.error };
  if (snapshot.matches('destroyed')) return { _tag: 'Destroyed' };
  return { _tag: 'Acquiring', suspended: snapshot.matches({ waiting: 'suspended' }) };
};
