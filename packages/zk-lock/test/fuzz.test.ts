import { decodeConfig, lockParentPath } from '@zk-lock/core';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import type zookeeper from '@zk-lock/node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import {
  ZookeeperLock,
  ZookeeperLockArgumentError,
  ZookeeperLockConfigError,
  ZookeeperLockLocatorError,
} from 'zk-lock';
import { useZooKeeper } from './support/zookeeper.js';

/**
 * Bad input, fuzzed against a live server: every call settles within a bound, never throws
 * synchronously, rejects invalid input with a typed error naming the field, and nothing is ever
 * created outside /locks/ (nor left behind inside it).
 */

const server = useZooKeeper();
const SETTLE_WITHIN_MS = 15_000;

type Settled =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Calls `f`, failing on a synchronous throw, and waits for it to settle within the bound. */
const settle = async (f: () => Promise<unknown>): Promise<Settled> => {
  let promise: Promise<unknown>;
  try {
    promise = f();
  } catch (error) {
    throw new Error(`threw synchronously: ${String(error)}`, { cause: error });
  }
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`did not settle within ${SETTLE_WITHIN_MS} ms`)),
      SETTLE_WITHIN_MS,
    );
  });
  try {
    return await Promise.race([
      promise.then(
        (value): Settled => ({ ok: true, value }),
        (error: unknown): Settled => ({ ok: false, error }),
      ),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/** Every path in the tree below `path` (depth first), read behind the library's back. */
const walk = async (client: zookeeper.Client, path: string): Promise<string[]> => {
  const children = await new Promise<string[]>((resolve, reject) =>
    client.getChildren(path, (error, names) => (error ? reject(error) : resolve(names))),
  );
  const below = await Promise.all(
    children.map((name) => walk(client, path === '/' ? `/${name}` : `${path}/${name}`)),
  );
  return [path, ...below.flat()];
};

const segment = fc.stringMatching(/^[a-z0-9_-]{1,10}$/);
const validKey = fc.oneof(
  fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/')),
  fc.constant('zookeeper/quota'),
);
const nastyKey = fc.constantFrom(
  '../x',
  'a//b',
  '',
  'a\u0000b',
  'x'.repeat(2000),
  '/abs',
  'trailing/',
  '.',
  '..',
  'a/./b',
  'a/../../b',
  'zookeeper',
  'a\u0001b',
  '\ud800',
);
const anyKey = fc.oneof(validKey, nastyKey, fc.string({ maxLength: 20 }));
const anyPrefix = fc.option(fc.oneof(validKey, nastyKey, fc.string({ maxLength: 12 })), { nil: undefined });

const expectFieldError = (outcome: Settled, field: string): void => {
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  const error = outcome.error as { field?: unknown };
  expect(error).toBeInstanceOf(Error);
  expect(error.field).toBe(field);
};

describe('fuzzed bad input on a live server', () => {
  it('keys and prefixes: valid ones lock and unlock, invalid ones reject naming the field', async () => {
    const { zk } = server();
    await fc.assert(
      fc.asyncProperty(anyPrefix, anyKey, async (pathPrefix, key) => {
        const lock = new ZookeeperLock({ serverLocator: zk.connectString, pathPrefix, sessionTimeout: 4000 });
        const expected = E.isLeft(decodeConfig({ serverLocator: zk.connectString, pathPrefix }))
          ? { field: 'pathPrefix' }
          : E.isLeft(lockParentPath(pathPrefix, key))
            ? { field: 'key' }
            : undefined;
        const locked = await settle(() => lock.lock(key, 2000));
        if (expected === undefined) {
          expect(locked).toMatchObject({ ok: true });
          expect((await settle(() => lock.unlock())).ok).toBe(true);
        } else {
          expectFieldError(locked, expected.field);
          const error = (locked as { error: unknown }).error;
          expect(
            error instanceof ZookeeperLockArgumentError || error instanceof ZookeeperLockConfigError,
          ).toBe(true);
          await settle(() => lock.destroy());
        }
        // checkLocked goes through the same validation (on a fresh lock: unlock destroyed this one).
        const checker = new ZookeeperLock({ serverLocator: zk.connectString, pathPrefix });
        const checked = await settle(() => checker.checkLocked(key));
        if (expected === undefined) expect(checked).toEqual({ ok: true, value: false });
        else expectFieldError(checked, expected.field);
        await settle(() => checker.destroy());
      }),
      { numRuns: 60 },
    );
    // Every nastiness above stayed inside /locks (or was refused before reaching the server).
    const paths = await walk(server().observer, '/');
    expect(paths.filter((p) => p !== '/' && !p.startsWith('/locks') && !p.startsWith('/zookeeper'))).toEqual(
      [],
    );
    expect(paths.filter((p) => /\/(lock|read)-\d{10}$/.test(p))).toEqual([]);
  });

  it('config objects: every invalid option rejects naming its field, before any server is asked', async () => {
    const { zk } = server();
    const junk = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.double({ noNaN: false }),
      fc.string({ maxLength: 5 }),
      fc.boolean(),
      fc.constant(null),
      fc.constant({}),
      fc.constant([]),
    );
    const option = (valid: fc.Arbitrary<unknown>) => fc.option(fc.oneof(valid, junk), { nil: undefined });
    const config = fc.record(
      {
        sessionTimeout: option(fc.integer({ min: 2000, max: 8000 })),
        spinDelay: option(fc.integer({ min: 0, max: 500 })),
        retries: option(fc.integer({ min: 0, max: 3 })),
        failImmediate: option(fc.boolean()),
        maxConcurrentHolders: option(fc.integer({ min: 1, max: 4 })),
        autoDestroyOnUnlock: option(fc.boolean()),
        connectionPerLock: option(fc.boolean()),
        acl: option(fc.constant('open')),
        parentNodes: option(fc.constantFrom('container', 'persistent')),
      },
      { requiredKeys: [] },
    );
    let located = 0;
    const serverLocator = async () => {
      located++;
      return { host: '127.0.0.1', port: zk.members[0]!.port };
    };
    await fc.assert(
      fc.asyncProperty(config, async (options) => {
        located = 0;
        const full = { ...options, serverLocator };
        const decoded = decodeConfig(full);
        const lock = new ZookeeperLock(full as never);
        const locked = await settle(() => lock.lock('fuzz-config', 2000));
        if (E.isLeft(decoded)) {
          expectFieldError(locked, decoded.left.field);
          expect((locked as { error: unknown }).error).toBeInstanceOf(ZookeeperLockConfigError);
          expect(located).toBe(0);
          await settle(() => lock.destroy());
        } else {
          expect(locked).toMatchObject({ ok: true });
          expect((await settle(() => lock.unlock())).ok).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('locator results: garbage, rejections and throws give ZookeeperLockLocatorError, good ones lock', async () => {
    const { zk } = server();
    const port = zk.members[0]!.port;
    const good = fc.constantFrom<unknown>(
      { host: '127.0.0.1', port },
      { host: '127.0.0.1', port: String(port) },
    );
    // Each garbage location has at least one malformed field: a well-formed host and port that
    // nothing answers on is a connection failure, not garbage.
    const anyHost = fc.oneof(fc.constant('127.0.0.1'), fc.string({ maxLength: 4 }), fc.integer());
    const badHost = fc.oneof(
      fc.constantFrom<unknown>('', '::1', 'a b', '-x', 'host/'),
      fc.integer(),
      fc.string({ maxLength: 4 }).map((name) => `${name}:`),
    );
    const anyPort = fc.oneof(fc.constant(port), fc.integer(), fc.string());
    const badPort = fc.oneof(
      fc.integer({ max: 0 }),
      fc.integer({ min: 65536 }),
      fc.double({ min: 1.1, max: 1.9, noNaN: true }),
      fc.string({ maxLength: 4 }).map((digits) => `${digits}x`),
    );
    const garbage = fc.oneof(
      fc.constantFrom<unknown>(undefined, null, 42, 'nonsense', [], {}, { host: '127.0.0.1' }, { port }),
      fc.record({ host: badHost, port: anyPort }),
      fc.record({ host: anyHost, port: badPort }),
    );
    const locator = fc.oneof(
      good.map((value) => ({ valid: true, locate: () => Promise.resolve(value) })),
      garbage.map((value) => ({ valid: false, locate: () => Promise.resolve(value) })),
      fc.constant({ valid: false, locate: () => Promise.reject(new Error('no zookeeper for you')) }),
      fc.constant({
        valid: false,
        locate: (): Promise<unknown> => {
          throw new Error('thrown by the locator');
        },
      }),
    );
    await fc.assert(
      fc.asyncProperty(locator, async ({ valid, locate }) => {
        const lock = new ZookeeperLock({ serverLocator: locate as never, sessionTimeout: 4000 });
        const locked = await settle(() => lock.lock('fuzz-locator', 2000));
        if (valid) {
          expect(locked).toMatchObject({ ok: true });
          expect((await settle(() => lock.unlock())).ok).toBe(true);
        } else {
          expect(locked.ok).toBe(false);
          expect((locked as { error: unknown }).error).toBeInstanceOf(ZookeeperLockLocatorError);
          await settle(() => lock.destroy());
        }
      }),
      { numRuns: 40 },
    );
  });
});
