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
    sessionTimeout: fc.constantFrom(undefined, 4000, 15000),
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

describe('decodeConfiguration', () => {
  test.prop([config, config])(
    'shares one decoded configuration exactly between equal plain ones, and decodes as the core does',
    (a, b) => {
      const [left, right] = [decodeConfiguration(a), decodeConfiguration(b)];
      if (E.isLeft(left) || E.isLeft(right)) return;
      expect(left.right).toEqual(E.getOrElseW(() => undefined)(decodeConfig(a)));
      const equal = JSON.stringify(left.right) === JSON.stringify(right.right);
      const shareable = plainData(left.right) && plainData(right.right) && equal;
      expect(left.right === right.right).toBe(shareable);
    },
  );
});
