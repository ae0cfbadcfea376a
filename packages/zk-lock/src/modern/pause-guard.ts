import { createHook, executionAsyncResource, type AsyncHook } from 'node:async_hooks';
// Node's own timers, not the globals: an app's fake timers (in its tests) replace only the globals.
import { clearImmediate, clearTimeout, setImmediate, setTimeout } from 'node:timers';

/**
 * Makes a leader hear of its loss before other callbacks of its process run, also after the
 * process was paused (SIGSTOP, a suspended VM or container, a blocked event loop) past its
 * session's deadline.
 *
 * Why a hook: after such a pause every overdue timer is due at once, and Node runs them in the
 * order they were due, so an application's timer set before the pause would run before the
 * session's own deadline timer and act as leader although the leadership is gone. An async hook
 * `before` runs ahead of every callback (timers, I/O, immediates, promise reactions); it compares
 * the monotonic clock with each guarded deadline and, once one has passed, declares the loss there
 * and then.
 *
 * Except ahead of a timer or an immediate: Node reads their callback after `before` returns, and
 * a loss listener that clears that very timer or immediate (an `abort` listener that stops the
 * leader's work interval, the usual pattern) would leave Node calling `null` and end the process.
 * There the declaration runs in a microtask, right after that one callback and before the next;
 * `Leadership.isLeading`, which reads the clock, is already false inside it.
 *
 * The hook is installed while at least one leadership is held in the process and removed with the
 * last one: it costs every callback and promise reaction of the process one call.
 */

export interface Guarded {
  /** The moment (`performance.now()` base) after which the leadership is surely lost. */
  readonly deadline: () => number;
  /** Declares the loss; called once, synchronously, from the hook or a microtask it queued. */
  readonly lost: () => void;
}

const guarded = new Set<Guarded>();
let hook: AsyncHook | undefined;

/** The classes of the resources whose callback Node drops by nulling it (clearTimeout, clearImmediate). */
let clearable: ReadonlyArray<abstract new (...args: never[]) => unknown> | undefined;

const clearableClasses = (): ReadonlyArray<abstract new (...args: never[]) => unknown> => {
  if (clearable !== undefined) return clearable;
  const timeout = setTimeout(() => undefined, 0);
  clearTimeout(timeout);
  const immediate = setImmediate(() => undefined);
  clearImmediate(immediate);
  clearable = [timeout.constructor as never, immediate.constructor as never];
  return clearable;
};

const declare = (entry: Guarded): void => {
  // An exception thrown in an async hook ends the process: a listener's error must not.
  try {
    entry.lost();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
};

const check = (): void => {
  const now = performance.now();
  let defer: boolean | undefined;
  for (const entry of guarded) {
    if (now < entry.deadline()) continue;
    guarded.delete(entry);
    defer ??= clearableClasses().some((type) => executionAsyncResource() instanceof type);
    if (defer) queueMicrotask(() => declare(entry));
    else declare(entry);
  }
  if (guarded.size === 0) unhook();
};

const unhook = (): void => {
  hook?.disable();
  hook = undefined;
};

/** Guards `entry` until the returned function is called (or its loss was declared). */
export const guardAgainstPauses = (entry: Guarded): (() => void) => {
  clearableClasses();
  guarded.add(entry);
  hook ??= createHook({ before: check }).enable();
  return () => {
    guarded.delete(entry);
    if (guarded.size === 0) unhook();
  };
};
