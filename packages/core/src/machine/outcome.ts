import type { SnapshotFrom, StateValue } from 'xstate';
import type { lockMachine } from './lock-machine.js';
import type { LockContext, LockError } from './types.js';

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

/** Constant outcomes, shared: a facade reads many snapshots and most of them end up here. */
const RELEASING: LockOutcome = { _tag: 'Releasing' };
const RELEASED: LockOutcome = { _tag: 'Released' };
const TIMED_OUT: LockOutcome = { _tag: 'TimedOut' };
const ALREADY_LOCKED: LockOutcome = { _tag: 'AlreadyLocked' };
const CANCELLED: LockOutcome = { _tag: 'Cancelled' };
const DESTROYED: LockOutcome = { _tag: 'Destroyed' };
const ACQUIRING: LockOutcome = { _tag: 'Acquiring', suspended: false };
const ACQUIRING_SUSPENDED: LockOutcome = { _tag: 'Acquiring', suspended: true };

/** The value is a state name, or an object whose single key is the top-level state (with children). */
const topLevel = (value: StateValue): string => {
  if (typeof value === 'string') return value;
  for (const key in value) return key;
  return '';
};

const isSuspended = (value: StateValue): boolean =>
  typeof value === 'object' &&
  ((value as { held?: string }).held === 'suspended' ||
    (value as { waiting?: string }).waiting === 'suspended');

/** Reads the top-level state name from `snapshot.value` (no `matches()`: it is called on every snapshot). */
export const lockOutcome = (snapshot: {
  readonly context: LockContext;
  readonly value: StateValue;
}): LockOutcome => {
  const { context, value } = snapshot;
  switch (topLevel(value)) {
    case 'held':
      return { _tag: 'Held', fencingToken: context.fencingToken ?? 0n, suspended: isSuspended(value) };
    case 'releasing':
      return RELEASING;
    case 'released':
      return RELEASED;
    case 'timedOut':
      return TIMED_OUT;
    case 'alreadyLocked':
      return ALREADY_LOCKED;
    case 'cancelled':
      return CANCELLED;
    case 'lost':
      return { _tag: 'Lost', wasHeld: context.fencingToken !== undefined, error: context.error };
    case 'failed':
      return { _tag: 'Failed', error: context.error };
    case 'destroyed':
      return DESTROYED;
    default:
      return isSuspended(value) ? ACQUIRING_SUSPENDED : ACQUIRING;
  }
};

/** Values where the attempt waits on something other than its own requests (a reconnect). */
const awaitsConnection = (value: StateValue): boolean => {
  if (typeof value !== 'object') return false;
  for (const key in value) {
    const child = (value as Record<string, StateValue>)[key] as StateValue;
    if (child === 'awaitingConnection' || awaitsConnection(child)) return true;
  }
  return false;
};

/**
 * Whether the attempt is busy with requests of its own: from `idle` (about to send them) until it
 * holds, waits for a predecessor, awaits a reconnect, or ends. A shell that limits how many
 * attempts share a session at once counts only these (a waiting one never blocks another).
 */
export const busyWithRequests = (snapshot: {
  readonly value: StateValue;
  readonly status: string;
}): boolean => {
  if (snapshot.status !== 'active') return false;
  const top = topLevel(snapshot.value);
  if (top === 'held' || top === 'waiting') return false;
  return !awaitsConnection(snapshot.value);
};
