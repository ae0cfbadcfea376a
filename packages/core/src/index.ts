export * from './port.js';
export * from './path.js';
export * from './participant.js';
export * from './decide.js';
export * from './decide-read-write.js';
export * from './fencing.js';
export * from './owner-data.js';
export * from './recovery.js';
export * from './leader.js';
export * from './leader-view.js';
export * from './config.js';
export * from './parents.js';
export { describeValue } from './describe.js';
export { eitherStruct } from './either-struct.js';
export { lockMachine, RETRY_DELAY_MS, MAX_CREATE_ATTEMPTS } from './machine/lock-machine.js';
export {
  busyWithRequests,
  lockOutcome,
  type LockOutcome,
  type LockSnapshot,
  type LockSnapshotView,
} from './machine/outcome.js';
export { LockEngine, type LockEngineOptions, type LockObserver } from './machine/lock-engine.js';
export { LockEffects, type LockAction, type LockClock, type LockEventSink } from './machine/lock-effects.js';
export type * from './machine/types.js';
