import { waitFor, type ZooKeeperMember } from '@zk-lock/testkit';
import Promise from 'bluebird';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ZookeeperLock,
  ZookeeperLockAlreadyLockedError,
  ZookeeperLockTimeoutError,
  type ZookeeperLockConfiguration,
} from 'zk-lock';
import { configFor, lockNodes, useZooKeeper } from './support/zookeeper.js';

/*
 * A suite written the way zk-lock 2.x users write theirs (mocha, Bluebird as `Promise`): `done`
 * callbacks, promise chains with Bluebird's filtered catch, `.finally`, `.each` and `.reflect()`,
 * `.then(lock.unlock)`, `Promise.all([...]).then(...)` over `lockFactory()` locks. As in such
 * suites, every test locks the same key, one after another; `afterEach` lets go of every lock a
 * test made and waits until the key is free, so that a test that fails cannot block the next.
 */

const server = useZooKeeper();
const KEY = 'nightly-report';
const { States } = ZookeeperLock;

const member = (): ZooKeeperMember => {
  const first = server().zk.members[0];
  if (first === undefined) throw new Error('no member');
  return first;
};

/** Mocha's `done`: the test ends when it is called, and fails when it is called with an error. */
type Done = (error?: unknown) => void;

/** A test body in mocha's callback style, for vitest (which ends a test when its promise settles). */
const withDone = (body: (done: Done) => void) => (): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    body((error) => (error === undefined || error === null ? resolve() : reject(error)));
  });

/** Mocha's `done` fails a test on an exception thrown in an event handler only when told. */
const checked = (done: Done, check: () => void): void => {
  try {
    check();
    done();
  } catch (error) {
    done(error);
  }
};

let config: ZookeeperLockConfiguration & { pathPrefix: string };
const lockPath = (): string => `/locks/${config.pathPrefix}/${KEY}`;
const nodes = (): Promise<string[]> => Promise.resolve(lockNodes(server().observer, lockPath()));

/** Every lock a test made, for `afterEach`. */
const made: ZookeeperLock[] = [];
const remember = (lock: ZookeeperLock): ZookeeperLock => {
  made.push(lock);
  return lock;
};
const lockFactory = (): ZookeeperLock => remember(ZookeeperLock.lockFactory());
const lockWith = (options: ZookeeperLockConfiguration): ZookeeperLock =>
  remember(new ZookeeperLock({ ...config, ...options }));

/** Resolves once a timer has destroyed `lock` (destroying raises no event: it removes the listeners). */
const destroyed = (lock: ZookeeperLock) =>
  waitFor(() => lock.state === States.DESTROYED, { message: 'the lock destroyed by a timer' });

/** Spins without yielding: no timer, no socket, no ping runs meanwhile. */
const blockEventLoop = (ms: number): void => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // busy
  }
};

beforeAll(() => {
  config = configFor(server());
});

beforeEach(() => {
  ZookeeperLock.initialize(config);
});

afterEach(async () => {
  if (!member().running) {
    await member().start();
    await server().renewObserver();
  }
  await Promise.all(made.splice(0).map((lock) => lock.destroy()));
  // A session that a test lost keeps its node until the server expires it.
  await waitFor(async () => (await nodes()).length === 0, {
    timeoutMs: 30_000,
    message: `${lockPath()} free again`,
  });
});

describe('zk-lock 2.x callers, as they write their suites', () => {
  it(
    'locks the key and unlocks it',
    withDone((done) => {
      const lock = lockFactory();
      lock
        .lock(KEY)
        .then(() => {
          expect(lock.state).toBe(States.LOCKED);
          return lock.unlock();
        })
        .then(() => {
          expect(lock.state).toBe(States.DESTROYED);
          done();
        })
        .catch(done);
    }),
  );

  it(
    'unlocks with .then(lock.unlock)',
    withDone((done) => {
      const lock = lockFactory();
      lock
        .lock(KEY)
        .then(lock.unlock)
        .then((unlocked) => {
          expect(unlocked).toBe(true);
          expect(lock.state).toBe(States.DESTROYED);
          return nodes();
        })
        .then((left) => {
          expect(left).toEqual([]);
          done();
        })
        .catch(done);
    }),
  );

  it(
    'a second locker times out: filtered catch, then .finally unlocks the holder',
    withDone((done) => {
      const holder = lockFactory();
      const waiter = lockFactory();
      let timedOut: ZookeeperLockTimeoutError | undefined;
      holder
        .lock(KEY)
        .then(() => waiter.lock(KEY, 300))
        .then(() => done(new Error('the second locker got the lock')))
        .catch(ZookeeperLockTimeoutError, (error) => {
          timedOut = error;
        })
        .finally(() => holder.unlock())
        .then(() => {
          expect(timedOut?.message).toBe('timeout');
          expect(timedOut?.lockPath).toBe(lockPath());
          expect(waiter.state).toBe(States.TIMEOUT);
          expect(holder.state).toBe(States.DESTROYED);
          done();
        })
        .catch(done);
    }),
  );

  it(
    'Promise.all over lockFactory() locks: each takes its turn, one at a time',
    withDone((done) => {
      let holding = 0;
      let mostAtOnce = 0;
      const turn = (lock: ZookeeperLock) =>
        lock
          .lock(KEY)
          .then(() => {
            holding += 1;
            mostAtOnce = Math.max(mostAtOnce, holding);
          })
          .delay(20)
          .then(() => {
            holding -= 1;
            return lock.fencingToken;
          })
          .tap(() => lock.unlock());
      Promise.all([turn(lockFactory()), turn(lockFactory()), turn(lockFactory())])
        .then((tokens) => {
          expect(mostAtOnce).toBe(1);
          expect(new Set(tokens).size).toBe(3);
          return nodes();
        })
        .then((left) => {
          expect(left).toEqual([]);
          done();
        })
        .catch(done);
    }),
  );

  it(
    'failImmediate contenders, gone through with .each and .reflect(): each fails at once',
    withDone((done) => {
      const holder = lockWith({ failImmediate: true });
      const outcomes: Promise.Inspection<ZookeeperLock>[] = [];
      holder
        .lock(KEY)
        .return([1, 2, 3].map(() => lockWith({ failImmediate: true })))
        .each((contender) =>
          contender
            .lock(KEY)
            .reflect()
            .then((outcome) => {
              outcomes.push(outcome);
              expect(contender.state).toBe(States.ALREADY_LOCKED);
            }),
        )
        .then(() => {
          expect(outcomes.map((outcome) => outcome.isRejected())).toEqual([true, true, true]);
          for (const outcome of outcomes)
            expect(outcome.reason()).toBeInstanceOf(ZookeeperLockAlreadyLockedError);
          return nodes();
        })
        .then((left) => {
          expect(left).toEqual([holder.key]);
          return holder.unlock();
        })
        .then(() => done())
        .catch(done);
    }),
  );

  it(
    'maxConcurrentHolders 2: two hold, a third times out through a filtered catch',
    withDone((done) => {
      const semaphore = { maxConcurrentHolders: 2 };
      const [first, second, third] = [lockWith(semaphore), lockWith(semaphore), lockWith(semaphore)];
      Promise.all([first.lock(KEY), second.lock(KEY)])
        .then(() => third.checkLocked(KEY))
        .then((full) => {
          expect(full).toBe(true);
          return third.lock(KEY, 300).return('locked');
        })
        .catch(ZookeeperLockTimeoutError, () => 'timed out')
        .then((outcome) => {
          expect(outcome).toBe('timed out');
          expect([first.state, second.state, third.state]).toEqual([
            States.LOCKED,
            States.LOCKED,
            States.TIMEOUT,
          ]);
          return Promise.all([first.unlock(), second.unlock()]);
        })
        .then(() => done())
        .catch(done);
    }),
  );

  it(
    'the server stops and starts again under a held lock: the holder keeps it',
    withDone((done) => {
      const holder = lockWith({ sessionTimeout: 20_000 });
      const lost = () => done(new Error('the holder lost the lock'));
      holder
        .lock(KEY)
        .then(() => {
          holder.on('lost', lost);
          const back = new Promise((resolve) => holder.once('reconnected', resolve));
          return Promise.resolve(member().stop())
            .then(() => member().start())
            .then(() => back)
            .then(() => server().renewObserver());
        })
        .then(() => {
          expect(holder.state).toBe(States.LOCKED);
          return nodes();
        })
        .then((held) => {
          expect(held).toEqual([holder.key]);
          return lockFactory().lock(KEY, 300).return('locked');
        })
        .catch(ZookeeperLockTimeoutError, () => 'still held')
        .then((outcome) => {
          expect(outcome).toBe('still held');
          holder.removeListener('lost', lost);
          return holder.unlock();
        })
        .then(() => lockFactory().lock(KEY))
        .then((next) => next.unlock())
        .then(() => done())
        .catch(done);
    }),
  );

  it(
    'a session burnt out by a blocked event loop: lost fires, and the key comes free',
    withDone((done) => {
      const holder = lockWith({ sessionTimeout: 2000 });
      holder
        .lock(KEY)
        .then(() => {
          holder.on('lost', () =>
            checked(done, () => {
              expect(holder.state).toBe(States.LOST);
            }),
          );
          blockEventLoop(3500);
        })
        .catch(done);
    }),
  );

  it(
    'connect() opens the session that lock() then uses; disconnect() lets go of it',
    withDone((done) => {
      const lock = lockFactory();
      let session: unknown;
      lock
        .connect()
        .then((connected) => {
          expect(connected).toBe(true);
          session = lock.client?.getSessionId().toString('hex');
          expect(session).toBeDefined();
          return lock.lock(KEY);
        })
        .then(() => {
          expect(lock.client?.getSessionId().toString('hex')).toBe(session);
          return lock.unlock(false);
        })
        .then(() => {
          expect(lock.client).toBeNull();
          return lock.connect(5);
        })
        .then(() => {
          expect(lock.client).not.toBeNull();
          return lock.disconnect();
        })
        .then(() => {
          expect(lock.client).toBeNull();
          const connecting = lock.connect();
          return Promise.all([connecting, lock.disconnect()]);
        })
        .then(([connected]) => {
          expect(connected).toBe(false);
          expect(lock.client).toBeNull();
          done();
        })
        .catch(done);
    }),
  );

  it(
    'passes every 2.x method around detached from its lock',
    withDone((done) => {
      const { lock: lockKey, checkLock, lockFactory: factory, getSequenceNumber } = ZookeeperLock;
      const holder = remember(factory());
      const { lock, unlock, connect, disconnect, checkLocked, destroy } = holder;
      connect()
        .then((connected) => {
          expect(connected).toBe(true);
          expect(holder.client).not.toBeNull();
          return checkLocked(KEY);
        })
        .then((locked) => {
          expect(locked).toBe(false);
          return lock(KEY);
        })
        .then(() => Promise.all([checkLocked(KEY), checkLock(KEY)]))
        .then((locked) => {
          expect(locked).toEqual([true, true]);
          expect(getSequenceNumber(holder.key as string)).toBe(Number((holder.key as string).slice(5)));
          return unlock(false);
        })
        .then(() => {
          expect(holder.state).toBe(States.UNLOCKED);
          return lockKey(KEY);
        })
        .then((other) => {
          remember(other);
          setTimeout(other.destroy, 10);
          return destroyed(other);
        })
        .then(() => disconnect())
        .then(() => {
          expect(holder.state).toBe(States.UNLOCKED);
          setTimeout(destroy, 10);
          return destroyed(holder);
        })
        .then(() => nodes())
        .then((left) => {
          expect(left).toEqual([]);
          done();
        })
        .catch(done);
    }),
  );
});
