import { waitFor, withDeadline } from '@zk-lock/testkit';
import { describe, expect, it } from 'vitest';

describe('withDeadline', () => {
  it('passes the value of work that settles in time', async () => {
    await expect(withDeadline('answer', 1_000, Promise.resolve(42))).resolves.toBe(42);
  });

  it('passes the failure of work that fails in time', async () => {
    await expect(withDeadline('answer', 1_000, Promise.reject(new Error('refused')))).rejects.toThrow(
      'refused',
    );
  });

  it('fails naming the step and adding the details once the time is up', async () => {
    const never = new Promise<never>(() => undefined);
    await expect(withDeadline('the server restart', 20, never, () => 'log: still starting')).rejects.toThrow(
      'the server restart: not within 20 ms\nlog: still starting',
    );
  });
});

describe('waitFor', () => {
  it('resolves with the first truthy value of the condition', async () => {
    let calls = 0;
    await expect(waitFor(() => (++calls === 3 ? 'ready' : undefined), { intervalMs: 1 })).resolves.toBe(
      'ready',
    );
    expect(calls).toBe(3);
  });

  it('fails at its deadline even when the condition never settles', async () => {
    const never = (): Promise<boolean> => new Promise<never>(() => undefined);
    await expect(waitFor(never, { timeoutMs: 30, message: 'an answer' })).rejects.toThrow(
      'waitFor: an answer not met within 30 ms',
    );
  });
});
