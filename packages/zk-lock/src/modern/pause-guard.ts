import { createHook, type AsyncHook } from 'node:async_hooks';

/**
 * Makes a leader hear of its loss before any other callback of its process runs, also after the
 * process was paused (SIGSTOP, a suspended VM or container) past its session's deadline.
 *
 * Why a hook: after such a pause every overdue timer is due at once, and Node runs them in the
 * order they were due, so an application's timer set before the pause would run before the
 * session's own deadline timer and act as leader although the leadership is gone. An async hook's
 * `before` runs ahead of every callback (timers, I/O, immediates, promise reactions); it compares
 * the monotonic clock with each guarded deadline and, once one has passed, declares the loss there
 * and then. It is installed while at least one leadership is held in the process and removed with
 * the last one: a hook costs every callback and promise reaction of the process one call.
 */

export interface Guarded {
  /** The moment (`performance.now()` base) after which the leadership is surely lost. */
  readonly deadline: () => number;
  /** Declares the loss; called once, synchronously, from the hook. */
  readonly lost: () => void;
}

const guarded = new Set<Guarded>();
let hook: AsyncHook | undefined;

const check = (): void => {
  const now = performance.now();
  for (const entry of guarded) {
    if (now < entry.deadline()) continue;
    guarded.delete(entry);
    // An exception thrown in an async hook ends the process: a listener's error must not.
    try {
      entry.lost();
    } catch (error) {
      queueMicrotask(() => {
        throw error;
      });
    }
  }
  if (guarded.size === 0) unhook();
};

const unhook = (): void => {
  hook?.disable();
  hook = undefined;
};

/** Guards `entry` until the returned function is called (or its loss was declared). */
export const guardAgainstPauses = (entry: Guarded): (() => void) => {
  guarded.add(entry);
  hook ??= createHook({ before: check }).enable();
  return () => {
    guarded.delete(entry);
    if (guarded.size === 0) unhook();
  };
};
