import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { checkLeaderValue, decide, leaderOf, MAX_LEADER_VALUE_BYTES } from '@zk-lock/core';

const lock = (n: number): string => `lock-${String(n).padStart(10, '0')}`;
const read = (n: number): string => `read-${String(n).padStart(10, '0')}`;

describe('leaderOf', () => {
  it('is the lowest lock- node, by sequence and not by string', () => {
    expect(O.map((p: { name: string }) => p.name)(leaderOf([lock(12), lock(3), 'foreign']))).toEqual(
      O.some(lock(3)),
    );
  });

  it('is none for an empty election, foreign children only, or a read- node at the front', () => {
    expect(leaderOf([])).toEqual(O.none);
    expect(leaderOf(['foreign', 'lock-x'])).toEqual(O.none);
    expect(leaderOf([read(1), lock(2)])).toEqual(O.none);
  });

  const children = fc
    .uniqueArray(fc.nat({ max: 40 }), { maxLength: 12 })
    .chain((sequences) =>
      fc.tuple(...sequences.map((n) => fc.constantFrom(lock(n), read(n)))).map((names) => names as string[]),
    );

  test.prop([children])('leads exactly where the mutex rule says Held, for a lock- node', (names) => {
    const holders = names.filter(
      (name) => name.startsWith('lock-') && decide(names, name, 1)._tag === 'Held',
    );
    expect(O.toUndefined(O.map((p: { name: string }) => p.name)(leaderOf(names)))).toEqual(holders[0]);
    expect(holders.length).toBeLessThanOrEqual(1);
  });
});

describe('checkLeaderValue', () => {
  it('accepts strings up to the limit in UTF-8 bytes', () => {
    expect(checkLeaderValue('10.0.0.7:8080')).toEqual(E.right('10.0.0.7:8080'));
    expect(checkLeaderValue('')).toEqual(E.right(''));
    expect(E.isRight(checkLeaderValue('x'.repeat(MAX_LEADER_VALUE_BYTES)))).toBe(true);
  });

  it('names the field and says why otherwise', () => {
    expect(checkLeaderValue(42)).toEqual(
      E.left({ _tag: 'LeaderValueError', field: 'value', message: 'value: expected a string, got 42' }),
    );
    // Three bytes each in UTF-8: over the limit although shorter in UTF-16 code units.
    const wide = '€'.repeat(MAX_LEADER_VALUE_BYTES / 2);
    expect(checkLeaderValue(wide)).toEqual(
      E.left({
        _tag: 'LeaderValueError',
        field: 'value',
        message: `value: ${wide.length * 3} bytes in UTF-8; at most ${MAX_LEADER_VALUE_BYTES} are allowed`,
      }),
    );
  });
});
