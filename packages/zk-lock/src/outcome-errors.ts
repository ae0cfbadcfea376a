import type { LockError, LockOutcome, ZkFailure } from '@zk-lock/core';
import {
  ZookeeperLockAlreadyLockedError,
  ZookeeperLockCancelledError,
  ZookeeperLockDestroyedError,
  ZookeeperLockLostError,
  ZookeeperLockTimeoutError,
  ZookeeperLockZooKeeperError,
  type ZookeeperLockError,
} from './errors.js';

/** A refused ZooKeeper request as an error (`zkCode` e.g. `NO_AUTH`, `path` the node it named). */
export const zooKeeperError = (failure: ZkFailure, doing: string): ZookeeperLockZooKeeperError =>
  new ZookeeperLockZooKeeperError(
    `${doing} failed: ${failure.code}: ${failure.message}`,
    failure.code,
    failure.path,
  );

/** Why a lock machine ended in `failed` or `lost`, as an error. */
export const lockErrorAsError = (error: LockError | undefined, lockPath: string): ZookeeperLockError => {
  switch (error?._tag) {
    case 'RequestFailed':
      return zooKeeperError(error.failure, `${error.request} on ${lockPath}`);
    case 'NodeVanished':
      return new ZookeeperLockLostError(
        `lock node ${lockPath}/${error.node} was deleted while waiting`,
        lockPath,
      );
    case 'ParentKeptVanishing':
      return new ZookeeperLockZooKeeperError(
        `${lockPath} was deleted again each time it was created (${error.attempts} attempts)`,
        'NO_NODE',
        lockPath,
      );
    case 'SessionLost':
      return new ZookeeperLockLostError(`ZooKeeper session lost (${error.reason}) on ${lockPath}`, lockPath);
    default:
      return new ZookeeperLockZooKeeperError(`lock on ${lockPath} failed`, 'UNKNOWN', lockPath);
  }
};

/**
 * The error an acquisition that ended without holding rejects with. The 2.x errors keep their
 * 2.x messages (`'timeout'`, `'already locked'`) and their `lockPath` (the lock parent path).
 */
export const acquisitionError = (
  outcome: LockOutcome,
  lockPath: string,
  timeoutMs: number,
): ZookeeperLockError | undefined => {
  switch (outcome._tag) {
    case 'TimedOut':
      return new ZookeeperLockTimeoutError('timeout', lockPath, timeoutMs);
    case 'AlreadyLocked':
      return new ZookeeperLockAlreadyLockedError('already locked', lockPath);
    case 'Cancelled':
      return new ZookeeperLockCancelledError(`locking ${lockPath} was cancelled`, lockPath);
    case 'Destroyed':
      return new ZookeeperLockDestroyedError(`lock destroyed while locking ${lockPath}`);
    case 'Lost':
    case 'Failed':
      return lockErrorAsError(outcome.error, lockPath);
    default:
      return undefined;
  }
};
