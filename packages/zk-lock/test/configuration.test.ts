import { decodeConfig } from '@zk-lock/core';
import { test } from '@fast-check/vitest';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect } from 'vitest';
import { decodeConfiguration } from '../src/configuration.js';

/**
 * Equal plain configurations share one decoded configuration (memory per lock object); the
 * sharing must never merge configurations that differ, nor change what a configuration decodes to.
 * Small domains, so that equal pairs are common.
 */
const config = fc.record(
  {
    serverLocator: fc.oneof(
      fc.constantFrom('127.0.0.1:2181', '127.0.0.1:2182'),
      fc.constant([{ host: '127.0.0.1', port: 2181 }]),
      fc.constant(() => Promise.resolve({ host: '127.0.0.1', port: 2181 })),
    ),
    pathPrefix: fc.constantFrom(undefined, '', 'a', 'a/b'),
    // Values that JSON would not tell apart from valid ones: a key of the given data must.
    sessionTimeout: fc.constantFrom(
      undefined,
      4000,
      15000,
      '4000',
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -0,
      0,
    ),
    maxConcurrentHolders: fc.constantFrom(undefined, 1, 3),
    failImmediate: fc.constantFrom(undefined, false, true),
    connectionPerLock: fc.boolean(),
    auth: fc.constantFrom(undefined, [], [{ scheme: 'digest', id: 'u:p' }]),
  },
  { requiredKeys: ['serverLocator'] },
);

const plainData = (decoded: object): boolean =>
  Object.values(decoded).every(
    (value) =>
      (Array.isArray(value) && value.length === 0) ||
      (typeof value !== 'function' && (typeof value !== 'object' || value === null)),
  );

/** Pairs of values that JSON writes alike, or that look alike: a cache keyed on the given data must tell them apart. */
const lookalikes: ReadonlyArray<readonly [unknown, unknown]> = [
  [4000, '4000'],
  [Number.NaN, Number.POSITIVE_INFINITY],
  [0, -0],
  [true, 'true'],
  [1, '1'],
  [undefined, null],
];

describe('decodeConfiguration', () => {
  test.prop([
    config,
    fc.constantFrom(
      'sessionTimeout',
      'maxConcurrentHolders',
      'failImmediate',
      'pathPrefix',
      'spinDelay',
      'sessionLingerMs',
    ),
    fc.constantFrom(...lookalikes),
  ])('never answers a configuration with another that only looks like it', (a, field, [first, second]) => {
    for (const [x, y] of [
      [first, second],
      [second, first],
    ]) {
      decodeConfiguration({ ...a, [field]: x });
      const b = { ...a, [field]: y };
      const decoded = decodeConfiguration(b);
      const core = decodeConfig(b);
      expect(E.isRight(decoded)).toBe(E.isRight(core));
      if (E.isRight(decoded)) expect(decoded.right).toEqual(E.getOrElseW(() => undefined)(core));
    }
  });

  test.prop([config])('decodes a configuration given again as the core does, and a bad one anew', (a) => {
    const [first, again] = [decodeConfiguration(a), decodeConfiguration({ ...a })];
    expect(E.isRight(again)).toBe(E.isRight(decodeConfig(a)));
    if (E.isRight(first) && E.isRight(again))
      expect(again.right).toEqual(E.getOrElseW(() => undefined)(decodeConfig(a)));
    // An error is made for each attempt: its stack must point at the caller that made the lock.
    if (E.isLeft(first) && E.isLeft(again)) expect(again.left).not.toBe(first.left);
  });

  test.prop([config, config])(
    'shares one decoded configuration exactly between equal plain ones, and decodes as the core does',
    (a, b) => {
      const [left, right] = [decodeConfiguration(a), decodeConfiguration(b)];
      expect([E.isRight(left), E.isRight(right)]).toEqual([
        E.isRight(decodeConfig(a)),
        E.isRight(decodeConfig(b)),
      ]);
      if (E.isLeft(left) || E.isLeft(right)) return;
      expect(left.right).toEqual(E.getOrElseW(() => undefined)(decodeConfig(a)));
      expect(right.right).toEqual(E.getOrElseW(() => undefined)(decodeConfig(b)));
      const equal = JSON.stringify(left.right) === JSON.stringify(right.right);
      const shareable = plainData(left.right) && plainData(right.right) && equal;
      expect(left.right === right.right).toBe(shareable);
    },
  );
});
