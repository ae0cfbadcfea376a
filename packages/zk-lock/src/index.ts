/**
 * zk-lock: distributed locks and semaphores on Apache ZooKeeper, drop-in successor of zk-lock 2.x.
 */
export { ZookeeperLock, type ZookeeperLockEvents } from './zookeeper-lock.js';
export type { ZookeeperLockConfiguration } from './configuration.js';
export { States, Signals, type ZookeeperLockState } from './states.js';
export {
  ZookeeperLockError,
  ZookeeperLockTimeoutError,
  ZookeeperLockAlreadyLockedError,
  ZookeeperLockConfigError,
  ZookeeperLockArgumentError,
  ZookeeperLockLocatorError,
  ZookeeperLockLostError,
  ZookeeperLockCancelledError,
  ZookeeperLockDestroyedError,
  ZookeeperLockZooKeeperError,
  ZookeeperLockNotLeaderError,
  ZookeeperLockVersionMismatchError,
  type ZookeeperLockErrorCode,
} from './errors.js';
/** For advanced use (and the modern API): one acquisition attempt of the core lock machine. */
export { LockDriver, type LockDriverOptions, type LockDriverEvents } from './lock-driver.js';
/**
 * The modern API: `createLocks(...)` → `acquire`, `withLock`, `readLock`, `writeLock`, `contenders`,
 * and leader election: `campaign`, `leader`, `observeLeader`.
 */
export {
  createLocks,
  Locks,
  LockHandle,
  Leadership,
  DiagnosticChannels,
  type Leader,
  type Contender,
  type OwnerData,
  type AcquireOptions,
  type CampaignOptions,
  type ObserveLeaderOptions,
  type LockKind,
  type LocksOptions,
  type ReadWriteOptions,
  type WithLockOptions,
  type AcquiredMessage,
  type GaveUpMessage,
  type LockDiagnostic,
  type LostMessage,
  type ReleasedMessage,
  type WaitMessage,
} from './modern/index.js';
