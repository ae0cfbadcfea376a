import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { fencingToken } from '@zk-lock/core';

describe('fencingToken', () => {
  it('is parentCzxid << 32 | sequence', () => {
    expect(fencingToken(5n, 7)).toBe(5n * 2n ** 32n + 7n);
    expect(fencingToken(0x1_0000_0001n, 0x7fffffff)).toBe(0x1_0000_0001_7fff_ffffn);
  });

  const czxid = fc.bigInt({ min: 1n, max: 2n ** 62n });
  const sequence = fc.integer({ min: 0, max: 2 ** 31 - 1 });

  test.prop([czxid, sequence, sequence])('grows with the sequence within one parent', (c, a, b) => {
    fc.pre(a < b);
    expect(fencingToken(c, a) < fencingToken(c, b)).toBe(true);
  });

  test.prop([czxid, czxid, sequence, sequence])(
    'a recreated parent (larger czxid, sequence from 0) beats every token of the old one',
    (oldCzxid, newCzxid, oldSeq, newSeq) => {
      fc.pre(oldCzxid < newCzxid);
      expect(fencingToken(oldCzxid, oldSeq) < fencingToken(newCzxid, newSeq)).toBe(true);
    },
  );
});
