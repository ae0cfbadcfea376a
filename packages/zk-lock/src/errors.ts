/**
 * Every error this package rejects with. All are `instanceof Error` and carry a stable `code`, so
 * callers can branch without parsing messages. The two 2.x errors keep their 2.x messages and
 * fields (`'timeout'` / `'already locked'`, `lockPath`, `timeout`).
 */
export type ZookeeperLockErrorCode =
  | 'ZK_LOCK_TIMEOUT'
  | 'ZK_LOCK_ALREADY_LOCKED'
  | 'ZK_LOCK_INVALID_CONFIG'
  | 'ZK_LOCK_INVALID_ARGUMENT'
  | 'ZK_LOCK_LOCATOR'
  | 'ZK_LOCK_LOST'
  | 'ZK_LOCK_CANCELLED'
  | 'ZK_LOCK_DESTROYED'
  | 'ZK_LOCK_ZOOKEEPER'
  | 'ZK_LOCK_NOT_LEADER'
  | 'ZK_LOCK_VERSION_MISMATCH';

/** The common base: lets callers catch "anything from zk-lock" with one `instanceof`. */
export abstract class ZookeeperLockError extends Error {
  abstract readonly code: ZookeeperLockErrorCode;
}

/** The lock was not acquired within `timeout` ms; its node is gone. */
export class ZookeeperLockTimeoutError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockTimeoutError';
  readonly code = 'ZK_LOCK_TIMEOUT';
  constructor(
    message: string,
    readonly lockPath: string,
    readonly timeout?: number,
  ) {
    super(message);
  }
}

/** `failImmediate` is set and the lock was taken; no node was left behind. */
export class ZookeeperLockAlreadyLockedError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockAlreadyLockedError';
  readonly code = 'ZK_LOCK_ALREADY_LOCKED';
  constructor(
    message: string,
    readonly lockPath: string,
  ) {
    super(message);
  }
}

/** A configuration field is missing or malformed; `field` names it (e.g. `sessionTimeout`). */
export class ZookeeperLockConfigError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockConfigError';
  readonly code = 'ZK_LOCK_INVALID_CONFIG';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** A method argument (`key`, `timeout`) is malformed; `field` names it. */
export class ZookeeperLockArgumentError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockArgumentError';
  readonly code = 'ZK_LOCK_INVALID_ARGUMENT';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The `serverLocator` rejected, threw, did not settle, or named no usable server. `field` names
 * what was wrong (e.g. `serverLocator() result.port`), `problem` says how (e.g. `rejected`).
 */
export class ZookeeperLockLocatorError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockLocatorError';
  readonly code = 'ZK_LOCK_LOCATOR';
  constructor(
    message: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(message);
  }
}

/** The ZooKeeper session expired (or is presumed expired) before the lock was acquired. */
export class ZookeeperLockLostError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockLostError';
  readonly code = 'ZK_LOCK_LOST';
  constructor(
    message: string,
    readonly lockPath: string,
  ) {
    super(message);
  }
}

/** A pending acquisition was abandoned by `disconnect()`, `destroy()` or an abort. */
export class ZookeeperLockCancelledError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockCancelledError';
  readonly code = 'ZK_LOCK_CANCELLED';
  constructor(
    message: string,
    readonly lockPath: string,
  ) {
    super(message);
  }
}

/** The lock object was destroyed and cannot be used any more. */
export class ZookeeperLockDestroyedError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockDestroyedError';
  readonly code = 'ZK_LOCK_DESTROYED';
}

/** ZooKeeper refused a request; `zkCode` is its error code (e.g. `NO_AUTH`), `path` the node. */
export class ZookeeperLockZooKeeperError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockZooKeeperError';
  readonly code = 'ZK_LOCK_ZOOKEEPER';
  constructor(
    message: string,
    readonly zkCode: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

/** A leader's `proclaim` after its leadership ended (resigned, or lost with its session): nothing was written. */
export class ZookeeperLockNotLeaderError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockNotLeaderError';
  readonly code = 'ZK_LOCK_NOT_LEADER';
  constructor(
    message: string,
    readonly lockPath: string,
  ) {
    super(message);
  }
}

/**
 * A leader's `proclaim` found its node at another version than the one it wrote last: someone else
 * changed the node's data. Nothing was written; `path` is the node, `expectedVersion` the version
 * the write was conditional on.
 */
export class ZookeeperLockVersionMismatchError extends ZookeeperLockError {
  override readonly name = 'ZookeeperLockVersionMismatchError';
  readonly code = 'ZK_LOCK_VERSION_MISMATCH';
  constructor(
    message: string,
    readonly path: string,
    readonly expectedVersion: number,
  ) {
    super(message);
  }
}
