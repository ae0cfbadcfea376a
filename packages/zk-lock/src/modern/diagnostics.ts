import diagnostics_channel from 'node:diagnostics_channel';
import type { LockKind } from './options.js';

/**
 * Lifecycle events on `node:diagnostics_channel`, so APM tools and loggers can observe every lock
 * the modern API takes without patching: `diagnostics_channel.subscribe('zk-lock:acquired', fn)`.
 * Messages are published only while someone subscribes (building them costs nothing otherwise).
 * Durations are measured with the monotonic clock (`performance.now()`), in milliseconds.
 */

/** What every message carries: which lock, which attempt. */
export interface LockDiagnostic {
  /** The key as the caller passed it. */
  readonly key: string;
  /** The lock parent, e.g. `/locks/prefix/key`. */
  readonly path: string;
  readonly kind: LockKind;
  /** The attempt's unique id; also stored in its lock node, so `contenders` shows it. */
  readonly lockId: string;
}

/** `zk-lock:wait`: an acquisition starts (before its node exists). */
export type WaitMessage = LockDiagnostic;

/** `zk-lock:acquired`: the lock is held. */
export interface AcquiredMessage extends LockDiagnostic {
  /** The lock node's name, e.g. `lock-0000000042`. */
  readonly node: string;
  readonly fencingToken: bigint;
  /** From the `acquire` call to holding the lock. */
  readonly waitMs: number;
}

/** `zk-lock:gave-up`: an acquisition ended without the lock; its node is gone. */
export interface GaveUpMessage extends LockDiagnostic {
  readonly reason: 'timeout' | 'alreadyLocked' | 'aborted' | 'lost' | 'error';
  /** The error the caller's promise rejected with. */
  readonly error: Error;
  /** From the `acquire` call to giving up. */
  readonly waitMs: number;
}

/** `zk-lock:released`: the holder released the lock and its node is deleted. */
export interface ReleasedMessage extends LockDiagnostic {
  readonly node: string;
  readonly fencingToken: bigint;
  /** From acquired to released. */
  readonly heldMs: number;
}

/** `zk-lock:lost`: the session of a held lock expired or is presumed expired. */
export interface LostMessage extends LockDiagnostic {
  readonly node: string;
  readonly fencingToken: bigint;
  /** From acquired to the loss notification. */
  readonly heldMs: number;
  readonly error: Error;
}

/** The channel names, for `diagnostics_channel.subscribe(name, ...)`. */
export const DiagnosticChannels = {
  wait: 'zk-lock:wait',
  acquired: 'zk-lock:acquired',
  gaveUp: 'zk-lock:gave-up',
  released: 'zk-lock:released',
  lost: 'zk-lock:lost',
} as const;

const channels = {
  wait: diagnostics_channel.channel(DiagnosticChannels.wait),
  acquired: diagnostics_channel.channel(DiagnosticChannels.acquired),
  gaveUp: diagnostics_channel.channel(DiagnosticChannels.gaveUp),
  released: diagnostics_channel.channel(DiagnosticChannels.released),
  lost: diagnostics_channel.channel(DiagnosticChannels.lost),
};

interface Messages {
  wait: WaitMessage;
  acquired: AcquiredMessage;
  gaveUp: GaveUpMessage;
  released: ReleasedMessage;
  lost: LostMessage;
}

/** Publishes `message()` on the named channel if anyone listens. */
export const publish = <C extends keyof Messages>(name: C, message: () => Messages[C]): void => {
  const channel = channels[name];
  if (channel.hasSubscribers) channel.publish(message());
};
