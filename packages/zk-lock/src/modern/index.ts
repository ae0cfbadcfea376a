/** The modern API: `createLocks`, lock handles, contenders and diagnostics. */
export { createLocks, Locks } from './locks.js';
export { LockHandle } from './lock-handle.js';
export { Leadership } from './leadership.js';
export type { Leader } from './leader.js';
export type { Contender, OwnerData } from './contenders.js';
export type {
  AcquireOptions,
  CampaignOptions,
  LockKind,
  LocksOptions,
  ObserveLeaderOptions,
  ReadWriteOptions,
  WithLockOptions,
} from './options.js';
export {
  DiagnosticChannels,
  type AcquiredMessage,
  type GaveUpMessage,
  type LockDiagnostic,
  type LostMessage,
  type ReleasedMessage,
  type WaitMessage,
} from './diagnostics.js';
