import * as O from 'fp-ts/lib/Option.js';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parseParticipant, participants, sequenceOf } from '@zk-lock/core';

describe('participants', () => {
  it('parses lock- and read- names with 10 digits', () => {
    expect(parseParticipant('lock-0000000007')).toEqual(
      O.some({ name: 'lock-0000000007', role: 'lock', sequence: 7 }),
    );
    expect(parseParticipant('read-0000000123')).toEqual(
      O.some({ name: 'read-0000000123', role: 'read', sequence: 123 }),
    );
  });

  it.each([
    'lock-7',
    'lock-00000000007',
    'lock-000000000a',
    'x-lock-0000000001',
    'lock-0000000001x',
    'write-0000000001',
    '',
  ])('treats %j as foreign', (name) => expect(parseParticipant(name)).toEqual(O.none));

  it('gives the 2.x sequence number', () => {
    expect(sequenceOf('lock-0000000007')).toEqual(O.some(7));
    expect(sequenceOf('nope')).toEqual(O.none);
  });

  it('orders by sequence, not by string, across both prefixes, dropping foreign names', () => {
    const names = ['read-0000000010', 'lock-0000000009', 'foo', 'lock-0000000100', 'read-0000000002'];
    expect(participants(names).map((p) => p.name)).toEqual([
      'read-0000000002',
      'lock-0000000009',
      'read-0000000010',
      'lock-0000000100',
    ]);
  });

  test.prop([
    fc.oneof(
      fc.string(),
      fc
        .tuple(fc.constantFrom('lock-', 'read-', 'lock', 'Lock-', 'x'), fc.stringMatching(/^[0-9a]{0,12}$/))
        .map(([prefix, digits]) => prefix + digits),
    ),
  ])('agrees with the pattern lock-|read- and ten digits', (name) => {
    const match = /^(lock|read)-(\d{10})$/.exec(name);
    expect(parseParticipant(name)).toEqual(
      match === null ? O.none : O.some({ name, role: match[1], sequence: Number(match[2]) }),
    );
  });
});
