import { withDeadline } from '@zk-lock/testkit';
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
