import Bluebird from 'bluebird';
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

  it.each([
    ['lock-0000000007', 7],
    ['lock-2147483647', 2147483647],
    ['lock-1', 1],
    ['lock-42', 42],
    ['lock-00000000000000000012', 12],
    // Not lock node names: what 2.x's parseInt makes of them.
    ['7', 7],
    ['lock-12abc', 12],
    ['read-0000000003', Number.NaN],
    ['something-else', Number.NaN],
    ['lock-', Number.NaN],
    ['', Number.NaN],
  ])('getSequenceNumber(%j) is %d, as in 2.x', (name, sequence) => {
    expect(ZookeeperLock.getSequenceNumber(name)).toBe(sequence);
  });

  it('getSequenceNumber of something other than a string throws ZookeeperLockArgumentError naming it', () => {
    for (const name of [undefined, null, 7])
      expect(() => ZookeeperLock.getSequenceNumber(name as unknown as string)).toThrow(
        expect.objectContaining({ code: 'ZK_LOCK_INVALID_ARGUMENT', field: 'name' }),
      );
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
    ['parentNodes', { parentNodes: 'ephemeral' as 'container' }],
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

  it.each([[-1], [0.5], ['10' as unknown as number]])(
    'connect delay %j: rejected naming delay',
    async (delay) => {
      const serverLocator = untouchedLocator();
      const lock = new ZookeeperLock({ serverLocator });

      const failure = await rejectionOf(() => lock.connect(delay));

      expect(failure).toBeInstanceOf(ZookeeperLockArgumentError);
      expect(failure).toMatchObject({ field: 'delay' });
      expect(serverLocator).not.toHaveBeenCalled();
    },
  );

  it('a destroyed lock rejects lock(), connect() and checkLocked() with ZookeeperLockDestroyedError', async () => {
    const lock = new ZookeeperLock({ serverLocator: untouchedLocator() });
    await lock.destroy();

    expect(lock.state).toBe(States.DESTROYED);
    await expect(rejectionOf(() => lock.lock('key'))).resolves.toBeInstanceOf(ZookeeperLockDestroyedError);
    await expect(rejectionOf(() => lock.connect())).resolves.toBeInstanceOf(ZookeeperLockDestroyedError);
    await expect(rejectionOf(() => lock.checkLocked('key'))).resolves.toBeInstanceOf(
      ZookeeperLockDestroyedError,
    );
  });
});

/** Every asynchronous instance method of 2.x. */
const METHODS_2X = ['lock', 'unlock', 'destroy', 'connect', 'disconnect', 'checkLocked'] as const;

describe('2.x promises and methods: Bluebird, bound to their lock', () => {
  /** A lock whose configuration fails (no locator), so that nothing reaches a server. */
  const unconfigured = (): ZookeeperLock => new ZookeeperLock(undefined);

  it('every asynchronous method, static or not, returns a Bluebird promise', async () => {
    const lock = unconfigured();
    ZookeeperLock.initialize(undefined as unknown as ZookeeperLockConfiguration);
    const promises = {
      lock: lock.lock('key'),
      checkLocked: lock.checkLocked('key'),
      connect: lock.connect(),
      disconnect: lock.disconnect(),
      unlock: lock.unlock(false),
      destroy: lock.destroy(),
      'static lock': ZookeeperLock.lock('key'),
      'static checkLock': ZookeeperLock.checkLock('key'),
    };

    for (const [name, promise] of Object.entries(promises)) expect(promise, name).toBeInstanceOf(Bluebird);
    const settled = await Bluebird.all(
      Object.values<Bluebird<unknown>>(promises).map((promise) => promise.reflect()),
    );
    expect(settled.map((result) => result.isFulfilled())).toEqual([
      false,
      false,
      false,
      true,
      true,
      true,
      false,
      false,
    ]);
  });

  it("Bluebird's filtered catch picks the 2.x error classes", async () => {
    const caught = await unconfigured()
      .lock('key')
      .catch(ZookeeperLockTimeoutError, () => 'timeout')
      .catch(ZookeeperLockConfigError, (error) => `config: ${error.field}`);
    expect(caught).toBe('config: serverLocator');

    const passedOn = await unconfigured()
      .checkLocked('key')
      .catch(ZookeeperLockTimeoutError, ZookeeperLockAlreadyLockedError, () => 'caught')
      .catch((error: unknown) => error);
    expect(passedOn).toBeInstanceOf(ZookeeperLockConfigError);

    // The common base class is abstract, which Bluebird's typings refuse as a filter: a predicate.
    const byPredicate = await unconfigured()
      .connect()
      .catch(
        (error: unknown) => error instanceof ZookeeperLockError,
        (error: ZookeeperLockError) => error.code,
      );
    expect(byPredicate).toBe('ZK_LOCK_INVALID_CONFIG');
  });

  it('each 2.x method is an own property of its lock, bound to it', async () => {
    const lock = unconfigured();
    const other = unconfigured();

    for (const name of METHODS_2X) {
      expect(Object.hasOwn(lock, name), name).toBe(true);
      expect(lock[name], name).toBe(lock[name]);
      expect(lock[name], name).not.toBe(other[name]);
    }
    const { lock: take, checkLocked, connect, disconnect, unlock, destroy } = lock;
    // Unbound, each of these would fail reading the lock's private state (a TypeError).
    const failures = await Bluebird.all<Bluebird.Inspection<unknown>>([
      take('key').reflect(),
      checkLocked('key').reflect(),
      connect().reflect(),
    ]);
    for (const failure of failures) expect(failure.reason()).toBeInstanceOf(ZookeeperLockConfigError);
    expect(await Bluebird.all([disconnect(), unlock(false)])).toEqual([true, true]);
    expect(lock.state).toBe(States.UNLOCKED);
    expect(await destroy()).toBe(true);
    expect(lock.state).toBe(States.DESTROYED);
  });
});
