import type { ZkLockPort } from '@zk-lock/zookeeper';
import {
  ZookeeperLockAlreadyLockedError,
  ZookeeperLockCancelledError,
  ZookeeperLockDestroyedError,
  ZookeeperLockLostError,
  ZookeeperLockTimeoutError,
} from '../errors.js';
import { LockDriver } from '../lock-driver.js';
import { abortError } from './abort.js';
import { publish, type GaveUpMessage, type LockDiagnostic } from './diagnostics.js';
import { LockHandle } from './lock-handle.js';
import type { LockKind } from './options.js';
import type { AcquireRequest } from './validate.js';

/** One `acquire` of the modern API: runs a `LockDriver` until held, honouring the abort signal. */

export interface AcquireTarget {
  readonly key: string;
  readonly kind: LockKind;
  readonly parentPath: string;
  /** A leader's value, published in its node (campaigns only). */
  readonly value?: string;
}

/** Lets `Locks.close()` end what is still running; the returned function forgets it again. */
export type Track = (close: () => Promise<unknown>) => () => void;

const gaveUpReason = (error: unknown): GaveUpMessage['reason'] => {
  if (error instanceof ZookeeperLockTimeoutError) return 'timeout';
  if (error instanceof ZookeeperLockAlreadyLockedError) return 'alreadyLocked';
  if (error instanceof ZookeeperLockLostError) return 'lost';
  if (
    error instanceof ZookeeperLockCancelledError ||
    error instanceof ZookeeperLockDestroyedError ||
    (error instanceof DOMException && error.name === 'AbortError')
  )
    return 'aborted';
  return 'error';
};

export const acquireLock = async (
  openPort: () => ZkLockPort,
  target: AcquireTarget,
  request: AcquireRequest,
  track: Track,
): Promise<LockHandle> => {
  const { signal } = request;
  const what = `waiting for lock '${target.key}'`;
  if (signal?.aborted) throw abortError(signal, what);
  const started = performance.now();
  const port = openPort();
  const driver = new LockDriver({
    port,
    window: port.window(),
    parentPath: target.parentPath,
    kind: target.kind,
    maxHolders: request.maxHolders,
    failImmediate: request.failImmediate,
    timeoutMs: request.timeoutMs,
    value: target.value,
  });
  const diagnostic: LockDiagnostic = {
    key: target.key,
    path: target.parentPath,
    kind: target.kind,
    lockId: driver.lockId,
  };
  publish('wait', () => diagnostic);
  const untrackPending = track(() => driver.destroy());
  // CANCEL ends the attempt in `cancelled` only after its node is removed, so `acquired` rejects
  // with nothing left behind.
  const onAbort = () => driver.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await driver.acquired;
  } catch (cause) {
    const error =
      signal?.aborted && cause instanceof ZookeeperLockCancelledError ? abortError(signal, what) : cause;
    publish('gaveUp', () => ({
      ...diagnostic,
      reason: gaveUpReason(error),
      error: error as Error,
      waitMs: performance.now() - started,
    }));
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    untrackPending();
  }
  const handle = new LockHandle(driver, target.key, target.kind);
  const untrackHeld = track(() => handle.release());
  void driver.ended.then(untrackHeld);
  publish('acquired', () => ({
    ...diagnostic,
    node: handle.node,
    fencingToken: handle.fencingToken,
    waitMs: performance.now() - started,
  }));
  return handle;
};
