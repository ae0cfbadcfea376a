/**
 * `@zk-lock/zookeeper`: the effectful adapter of zk-lock over node-zookeeper-client. Sessions with
 * a liveness clock, a session pool, and the `LockPort` the core lock machine runs on.
 */
export { toZkFailure } from './failure.js';
export {
  resolveServers,
  DEFAULT_LOCATOR_TIMEOUT_MS,
  type LocatorError,
  type LocatorProblem,
  type ResolvedServers,
  type ResolveOptions,
} from './locator.js';
export type { NodeStat } from './stat.js';
export {
  ZkSession,
  CLOSE_GRACE_MS,
  type AuthInfo,
  type Children,
  type CreateMode,
  type CreateOptions,
  type NodeData,
  type SessionSettings,
  type SessionState,
  type WatchEvent,
  type WatchEventType,
  type Watcher,
} from './session.js';
export {
  sessionSettings,
  DEFAULT_SESSION_LINGER_MS,
  MIN_SPIN_DELAY_MS,
  type SessionOptions,
} from './options.js';
export { SessionPool, defaultPool, type SessionLease } from './pool.js';
export { SessionWindow, SESSION_WINDOW, type WindowTicket } from './session-window.js';
export { createLockPort, type LockPortOptions, type ZkLockPort } from './lock-port.js';
export { childNodes, type ChildNode } from './nodes.js';
export { withSession } from './with-session.js';
export { listChildrenWatched } from './children-watch.js';
export { setDataAtVersion } from './set-data.js';
