import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { eitherStruct } from '@zk-lock/core';

describe('eitherStruct', () => {
  it('collects the Rights into one record', () => {
    expect(eitherStruct({ a: E.right(1), b: E.right('x') })).toEqual(E.right({ a: 1, b: 'x' }));
  });

  it('gives the first Left in key order, as a chain of apS does', () => {
    const fields = { a: E.right(1), b: E.left('b is bad'), c: E.left('c is bad') };
    const viaApS = pipe(E.Do, E.apS('a', fields.a), E.apS('b', fields.b), E.apS('c', fields.c));
    expect(eitherStruct(fields)).toEqual(E.left('b is bad'));
    expect(eitherStruct(fields)).toEqual(viaApS);
  });
});
