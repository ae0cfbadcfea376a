import { describe, expect, it, vi } from 'vitest';
import {
  Signals,
  States,
  ZookeeperLock,
  ZookeeperLockAlreadyLockedError,
  ZookeeperLockArgumentError,
  ZookeeperLockConfigError,
  ZookeeperLockDestroyedError,
  ZookeeperLockError,
  ZookeeperLockTimeoutError,
  type ZookeeperLockConfiguration,
} from 'zk-lock';

/** A locator that would lead to a server but records that it was asked: it must not be. */
const untouchedLocator = () => vi.fn(() => Promise.resolve({ host: '127.0.0.1', port: 1 }));

/** Calls `call` and checks it returned a promise instead of throwing, then awaits its rejection. */
const rejectionOf = async (call: () => Promise<unknown>): Promise<unknown> => {
  let pending: Promise<unknown> | undefined;
  expect(() => {
    pending = call();
  }).not.toThrow();
  return (pending as Promise<unknown>).then(
    () => expect.unreachable('expected a rejection'),
    (error: unknown) => error,
  );
};

describe('the 2.x surface', () => {
  it('has the 2.x Signals and States', () => {
    expect(ZookeeperLock.Signals).toEqual({ LOST: 'lost', TIMEOUT: 'timeout' });
    expect(ZookeeperLock.States).toEqual({
      ALREADY_LOCKED: 'ALREADY_LOCKED',
      DESTROYED: 'DESTROYED',
      ERROR: 'ERROR',
      LOCKED: 'LOCKED',
      LOCKING: 'LOCKING',
      LOST: 'LOST',
      TIMEOUT: 'TIMEOUT',
      UNLOCKED: 'UNLOCKED',
      UNLOCKING: 'UNLOCKING',
    });
    expect(Signals).toBe(ZookeeperLock.Signals);
    expect(States).toBe(ZookeeperLock.States);
  });

  it('getSequenceNumber reads the sequence of a lock node name', () => {
    expect(ZookeeperLock.getSequenceNumber('lock-0000000007')).toBe(7);
    expect(ZookeeperLock.getSequenceNumber('lock-2147483647')).toBe(2147483647);
    expect(ZookeeperLock.getSequenceNumber('something-else')).toBeNaN();
  });

  it('the 2.x errors keep their messages and fields, and carry a code', () => {
    const timeout = new ZookeeperLockTimeoutError('timeout', '/locks/a', 500);
    const already = new ZookeeperLockAlreadyLockedError('already locked', '/locks/a');
    expect(timeout).toBeInstanceOf(Error);
    expect(timeout).toBeInstanceOf(ZookeeperLockError);
    expect(timeout).toMatchObject({
      message: 'timeout',
      lockPath: '/locks/a',
      timeout: 500,
      code: 'ZK_LOCK_TIMEOUT',
    });
    expect(already).toBeInstanceOf(Error);
    expect(already).toMatchObject({
      message: 'already locked',
      lockPath: '/locks/a',
      code: 'ZK_LOCK_ALREADY_LOCKED',
    });
  });

  it('a new lock is UNLOCKED, has no client, and is its own signal emitter', () => {
    const lock = new ZookeeperLock({ serverLocator: '127.0.0.1:2181' });
    expect(lock.state).toBe(States.UNLOCKED);
    expect(lock.client).toBeNull();
    expect(lock.signal).toBe(lock);
    expect(lock.fencingToken).toBeUndefined();
  });
});

describe('bad input is rejected with a typed error naming the field, before anything reaches the server', () => {
  const badConfigs: Array<[string, ZookeeperLockConfiguration | undefined]> = [
    ['serverLocator', undefined],
    ['serverLocator', { serverLocator: 'no-port-here' }],
    ['sessionTimeout', { sessionTimeout: -5 }],
    ['spinDelay', { spinDelay: 1.5 }],
    ['retries', { retries: 'three' as unknown as number }],
    ['maxConcurrentHolders', { maxConcurrentHolders: 0 }],
    ['failImmediate', { failImmediate: 'yes' as unknown as boolean }],
    ['pathPrefix', { pathPrefix: 'a//b' }],
  ];

  it.each(badConfigs)(
    'config field %s: lock() and checkLocked() reject with ZookeeperLockConfigError',
    async (field, overrides) => {
      const serverLocator = untouchedLocator();
      const config = overrides === undefined ? undefined : { serverLocator, ...overrides };
      const lock = new ZookeeperLock(config);

      const failure = await rejectionOf(() => lock.lock('key'));
      const checkFailure = await rejectionOf(() => lock.checkLocked('key'));

      for (const error of [failure, checkFailure]) {
        expect(error).toBeInstanceOf(ZookeeperLockConfigError);
        expect(error).toMatchObject({ code: 'ZK_LOCK_INVALID_CONFIG', field });
        expect((error as Error).message).toContain(field);
      }
      expect(serverLocator).not.toHaveBeenCalled();
      expect(lock.state).toBe(States.UNLOCKED);
    },
  );

  it.each([[''], ['a//b'], ['/leading'], ['trailing/'], ['..'], ['bad\u0000char']])(
    'key %j: rejected with ZookeeperLockArgumentError naming key',
    async (key) => {
      const serverLocator = untouchedLocator();
      const lock = new ZookeeperLock({ serverLocator });

      const failure = await rejectionOf(() => lock.lock(key));
      const checkFailure = await rejectionOf(() => lock.checkLocked(key));

      for (const error of [failure, checkFailure]) {
        expect(error).toBeInstanceOf(ZookeeperLockArgumentError);
        expect(error).toMatchObject({ code: 'ZK_LOCK_INVALID_ARGUMENT', field: 'key' });
      }
      expect(serverLocator).not.toHaveBeenCalled();
    },
  );

  it.each([[-1], [1.5], [Number.NaN], ['10' as unknown as number]])(
    'timeout %j: rejected naming timeout',
    async (timeout) => {
      const serverLocator = untouchedLocator();
      const lock = new ZookeeperLock({ serverLocator });

      const failure = await rejectionOf(() => lock.lock('key', timeout));

      expect(failure).toBeInstanceOf(ZookeeperLockArgumentError);
      expect(failure).toMatchObject({ field: 'timeout' });
      expect(serverLocator).not.toHaveBeenCalled();
    },
  );

  it('static lock() and checkLock() reject the same way', async () => {
    const serverLocator = untouchedLocator();
    ZookeeperLock.initialize({ serverLocator, sessionTimeout: 0 });

    await expect(rejectionOf(() => ZookeeperLock.lock('key'))).resolves.toMatchObject({
      field: 'sessionTimeout',
    });
    await expect(rejectionOf(() => ZookeeperLock.checkLock('key'))).resolves.toMatchObject({
      field: 'sessionTimeout',
    });
    expect(serverLocator).not.toHaveBeenCalled();
  });

  it('a destroyed lock rejects lock() and checkLocked() with ZookeeperLockDestroyedError', async () => {
    const lock = new ZookeeperLock({ serverLocator: untouchedLocator() });
    await lock.destroy();

    expect(lock.state).toBe(States.DESTROYED);
    await expect(rejectionOf(() => lock.lock('key'))).resolves.toBeInstanceOf(ZookeeperLockDestroyedError);
    await expect(rejectionOf(() => lock.checkLocked('key'))).resolves.toBeInstanceOf(
      ZookeeperLockDestroyedError,
    );
  });
});
