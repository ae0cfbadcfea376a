/** The 2.x lock states, with their 2.x string values (callers compare `lock.state` to these). */
export const States = {
  ALREADY_LOCKED: 'ALREADY_LOCKED',
  DESTROYED: 'DESTROYED',
  ERROR: 'ERROR',
  LOCKED: 'LOCKED',
  LOCKING: 'LOCKING',
  LOST: 'LOST',
  TIMEOUT: 'TIMEOUT',
  UNLOCKED: 'UNLOCKED',
  UNLOCKING: 'UNLOCKING',
} as const;

export type ZookeeperLockState = (typeof States)[keyof typeof States];

/** The 2.x signal names: events the lock emits. */
export const Signals = {
  LOST: 'lost',
  TIMEOUT: 'timeout',
} as const;
