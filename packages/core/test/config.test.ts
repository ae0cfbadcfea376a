import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { configDefaults, decodeConfig, type LockConfig } from '@zk-lock/core';

const locator = () => Promise.resolve({ host: '127.0.0.1', port: 2181 });

const decoded = (input: unknown): LockConfig => {
  const result = decodeConfig(input);
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

const errorOf = (input: unknown) => {
  const result = decodeConfig(input);
  if (E.isRight(result)) throw new Error('expected a Left');
  return result.left;
};

describe('decodeConfig', () => {
  it('fills in every 2.x default and the new options', () => {
    expect(decoded({ serverLocator: locator })).toEqual({
      serverLocator: locator,
      pathPrefix: undefined,
      sessionTimeout: 15000,
      spinDelay: 0,
      retries: 0,
      failImmediate: false,
      maxConcurrentHolders: 1,
      autoDestroyOnUnlock: true,
      enableTraceLog: false,
      traceLogRefresh: 10000,
      traceLogQuietPeriod: 30000,
      connectionPerLock: false,
      sessionLingerMs: 1000,
      auth: [],
      acl: 'open',
      parentNodes: 'container',
    });
  });

  it('keeps given values', () => {
    const config = {
      serverLocator: [
        { host: 'a', port: 2181 },
        { host: 'b', port: 2182 },
      ],
      pathPrefix: 'foo/bar',
      sessionTimeout: 10000,
      spinDelay: 1000,
      retries: 3,
      failImmediate: true,
      maxConcurrentHolders: 3,
      autoDestroyOnUnlock: false,
      enableTraceLog: true,
      traceLogRefresh: 500,
      traceLogQuietPeriod: 0,
      connectionPerLock: true,
      sessionLingerMs: 0,
      auth: [{ scheme: 'digest', id: 'user:secret' }],
      acl: 'creator',
      parentNodes: 'persistent',
    };
    expect(decoded(config)).toEqual(config);
  });

  it('refuses a creator-only ACL without credentials, naming acl', () => {
    const error = errorOf({ serverLocator: '127.0.0.1:2181', acl: 'creator' });
    expect(error.field).toBe('acl');
    expect(error.message).toMatch(/^acl: 'creator' needs credentials/);
  });

  it.each(['127.0.0.1:2181', 'h1:2181,h2:2182', 'zk.example.com:2181'])(
    'accepts the connect string %j',
    (serverLocator) => {
      expect(decoded({ serverLocator }).serverLocator).toBe(serverLocator);
    },
  );

  it('treats null like an absent option (2.x) and an empty prefix as none', () => {
    const config = decoded({ serverLocator: locator, sessionTimeout: null, pathPrefix: '' });
    expect(config.sessionTimeout).toBe(15000);
    expect(config.pathPrefix).toBeUndefined();
  });

  it.each([
    [
      { serverLocator: locator, maxConcurrentHolders: 0 },
      'maxConcurrentHolders',
      'maxConcurrentHolders: expected a positive integer, got 0',
    ],
    [
      { serverLocator: locator, sessionTimeout: -1 },
      'sessionTimeout',
      'sessionTimeout: expected a positive integer, got -1',
    ],
    [
      { serverLocator: locator, spinDelay: 1.5 },
      'spinDelay',
      'spinDelay: expected a non-negative integer, got 1.5',
    ],
    [
      { serverLocator: locator, retries: '3' },
      'retries',
      'retries: expected a non-negative integer, got "3"',
    ],
    [
      { serverLocator: locator, failImmediate: 'yes' },
      'failImmediate',
      'failImmediate: expected a boolean, got "yes"',
    ],
    [
      { serverLocator: locator, traceLogRefresh: NaN },
      'traceLogRefresh',
      'traceLogRefresh: expected a positive integer, got NaN',
    ],
    [{ serverLocator: locator, acl: 'world' }, 'acl', `acl: expected 'creator' or 'open', got "world"`],
    [
      { serverLocator: locator, parentNodes: 'ephemeral' },
      'parentNodes',
      `parentNodes: expected 'container' or 'persistent', got "ephemeral"`,
    ],
    [
      { serverLocator: locator, pathPrefix: 'a//b' },
      'pathPrefix',
      `pathPrefix: segment 2 ("") is empty (leading, trailing or double '/')`,
    ],
    [{ serverLocator: locator, pathPrefix: 5 }, 'pathPrefix', 'pathPrefix: expected a string, got 5'],
    [{}, 'serverLocator', 'serverLocator: expected a function'],
    [{ serverLocator: 'localhost' }, 'serverLocator', 'got "localhost"'],
    [{ serverLocator: 'h:0' }, 'serverLocator', 'got "h:0"'],
    [{ serverLocator: 'h:70000' }, 'serverLocator', 'got "h:70000"'],
    [{ serverLocator: 'h:2181,' }, 'serverLocator', 'got "h:2181,"'],
    [{ serverLocator: [] }, 'serverLocator', 'got []'],
    [{ serverLocator: [{ host: '', port: 1 }] }, 'serverLocator', 'got [{"host":"","port":1}]'],
    [
      { serverLocator: locator, auth: [{ scheme: 'ip', id: 'x' }] },
      'auth',
      "auth: entry 0: expected { scheme: 'digest', id: 'user:password' }",
    ],
    [{ serverLocator: locator, auth: 'user:pw' }, 'auth', 'auth: expected an array'],
    [null, 'config', 'config: expected an object, got null'],
    [[], 'config', 'config: expected an object, got []'],
  ])('rejects %j naming %s', (input, field, message) => {
    const error = errorOf(input);
    expect(error._tag).toBe('ConfigError');
    expect(error.field).toBe(field);
    expect(error.message).toContain(message);
  });

  it('never echoes credentials in an error', () => {
    const error = errorOf({
      serverLocator: locator,
      auth: [{ scheme: 'digest', id: 'user:pw' }, { id: 'user:s3cret' }],
    });
    expect(error.message).not.toContain('s3cret');
    expect(error.message).toContain('entry 1');
  });
});

/** Invalid values per field, and valid ones. */
const positive = fc.integer({ min: 1, max: 2 ** 31 });
const nonNegative = fc.integer({ min: 0, max: 2 ** 31 });
const notInteger = fc.oneof(
  fc.double({ noInteger: true }),
  fc.string(),
  fc.boolean(),
  fc.constant({}),
  fc.constant([]),
  fc.constant(Number.POSITIVE_INFINITY),
);
const notBoolean = fc.oneof(fc.integer(), fc.string(), fc.constant({}), fc.constant([]));

const fields = {
  sessionTimeout: { valid: positive, invalid: fc.oneof(notInteger, fc.integer({ max: 0 })) },
  spinDelay: { valid: nonNegative, invalid: fc.oneof(notInteger, fc.integer({ max: -1 })) },
  retries: { valid: nonNegative, invalid: fc.oneof(notInteger, fc.integer({ max: -1 })) },
  failImmediate: { valid: fc.boolean(), invalid: notBoolean },
  maxConcurrentHolders: { valid: positive, invalid: fc.oneof(notInteger, fc.integer({ max: 0 })) },
  autoDestroyOnUnlock: { valid: fc.boolean(), invalid: notBoolean },
  enableTraceLog: { valid: fc.boolean(), invalid: notBoolean },
  traceLogRefresh: { valid: positive, invalid: fc.oneof(notInteger, fc.integer({ max: 0 })) },
  traceLogQuietPeriod: { valid: nonNegative, invalid: fc.oneof(notInteger, fc.integer({ max: -1 })) },
  connectionPerLock: { valid: fc.boolean(), invalid: notBoolean },
  sessionLingerMs: { valid: nonNegative, invalid: fc.oneof(notInteger, fc.integer({ max: -1 })) },
  acl: { valid: fc.constantFrom('creator', 'open'), invalid: fc.oneof(fc.string(), fc.integer()) },
  parentNodes: {
    valid: fc.constantFrom('container', 'persistent'),
    invalid: fc.oneof(
      fc.string().filter((s) => s !== 'container' && s !== 'persistent'),
      fc.integer(),
      fc.boolean(),
    ),
  },
  pathPrefix: {
    valid: fc
      .array(fc.stringMatching(/^[a-z0-9_-]{1,8}$/), { minLength: 1, maxLength: 3 })
      .map((s) => s.join('/')),
    invalid: fc.oneof(
      fc.constantFrom('a//b', '/a', 'a/', '..', 'a/./b', 'a\u0000'),
      fc.integer(),
      fc.constant({}),
    ),
  },
  serverLocator: {
    valid: fc.oneof(
      fc.constant(locator),
      fc.array(
        fc.record({
          host: fc.stringMatching(/^[a-z][a-z0-9.]{0,10}$/),
          port: fc.integer({ min: 1, max: 65535 }),
        }),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
    ),
    invalid: fc.oneof(
      fc.integer(),
      fc.constantFrom('', 'host', 'h:', 'h:x', ':2181', 'h:2181,,h:2182', 'h:2181/chroot'),
      fc.constant([]),
      fc.constant({}),
    ),
  },
} as const;

type Field = keyof typeof fields;
const fieldNames = Object.keys(fields) as Field[];

describe('decodeConfig properties', () => {
  test.prop([
    fc.constantFrom(...fieldNames).chain((field) => fc.tuple(fc.constant(field), fields[field].invalid)),
  ])('every invalid value gives a Left naming its field', ([field, value]) => {
    const base = { serverLocator: locator };
    const error = errorOf({ ...base, [field]: value });
    expect(error.field).toBe(field);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
  });

  test.prop([
    fc
      .record(
        Object.fromEntries(fieldNames.map((f) => [f, fields[f].valid])) as {
          [K in Field]: fc.Arbitrary<unknown>;
        },
        { requiredKeys: ['serverLocator'] },
      )
      .map((input) =>
        // A creator-only ACL needs credentials (tested on its own below).
        input.acl === 'creator' ? { ...input, auth: [{ scheme: 'digest', id: 'user:secret' }] } : input,
      ),
  ])('every valid config decodes, with the defaults for what it leaves out', (input) => {
    const config = decoded(input);
    for (const field of fieldNames) {
      const expected =
        field in input
          ? input[field]
          : field === 'pathPrefix'
            ? undefined
            : configDefaults[field as keyof typeof configDefaults];
      expect(config[field]).toEqual(expected);
    }
  });
});
