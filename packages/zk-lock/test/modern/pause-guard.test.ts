import { createHook, executionAsyncResource } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { guardAgainstPauses } from '../../src/modern/pause-guard.js';

/**
 * The guard's hook declares a loss from inside Node's callback machinery. These tests make the
 * deadline pass at a chosen callback's entry (a hook of the test's own, enabled first, runs ahead
 * of the guard's) and check where the loss is declared, and that a listener clearing the very
 * timer or immediate being entered does not end the process (Node would call the nulled callback).
 */

/** Makes `deadline()` pass when Node enters the callback of `resource()`. */
const passWhenEntering = (resource: () => unknown) => {
  let passed = false;
  const hook = createHook({
    before: () => {
      if (executionAsyncResource() === resource()) passed = true;
    },
  }).enable();
  return { deadline: () => (passed ? 0 : Infinity), disable: () => hook.disable() };
};

describe('the pause guard', () => {
  it('declares a loss found entering a timer right after that callback, where clearing the timer is safe', async () => {
    const events: string[] = [];
    // Created first; it cannot run before this synchronous setup ends.
    const work = setInterval(() => {
      events.push('tick');
      queueMicrotask(() => events.push('tick microtask'));
    }, 1);
    const clock = passWhenEntering(() => work);
    const declared = new Promise<void>((resolve) => {
      guardAgainstPauses({
        deadline: clock.deadline,
        lost: () => {
          events.push('lost');
          clearInterval(work);
          resolve();
        },
      });
    });
    await declared;
    clock.disable();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The guard's microtask was queued before the tick's own: the loss comes first after the tick.
    expect(events).toEqual(['tick', 'lost', 'tick microtask']);
  });

  it('does the same entering an immediate', async () => {
    const events: string[] = [];
    const next = setImmediate(() => events.push('immediate'));
    const clock = passWhenEntering(() => next);
    const declared = new Promise<void>((resolve) => {
      guardAgainstPauses({
        deadline: clock.deadline,
        lost: () => {
          events.push('lost');
          clearImmediate(next);
          resolve();
        },
      });
    });
    await declared;
    clock.disable();
    expect(events).toEqual(['immediate', 'lost']);
  });
});
