import * as O from 'fp-ts/lib/Option.js';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { decodeOwnerData, encodeOwnerData, findOwnNode, type OwnerData } from '@zk-lock/core';

const owner: OwnerData = { lockId: 'id-1', hostname: 'web-1', pid: 4242, createdAt: 1_700_000_000_000 };

describe('owner data', () => {
  it('encodes the four fields as JSON', () => {
    expect(JSON.parse(encodeOwnerData(owner))).toEqual(owner);
  });

  test.prop([fc.record({ lockId: fc.string(), hostname: fc.string(), pid: fc.nat(), createdAt: fc.nat() })])(
    'decodes what it encodes',
    (o) => {
      expect(decodeOwnerData(encodeOwnerData(o))).toEqual(O.some(o));
    },
  );

  it.each([
    'lock',
    '',
    '{',
    'null',
    '[]',
    '{"lockId":1,"hostname":"h","pid":1,"createdAt":0}',
    '{"lockId":"a"}',
  ])('reads %j (2.x or foreign data) as an unknown owner', (data) =>
    expect(decodeOwnerData(data)).toEqual(O.none),
  );

  it('drops keys it does not know', () => {
    expect(decodeOwnerData(JSON.stringify({ ...owner, extra: true }))).toEqual(O.some(owner));
  });

  it('keeps the layout of plain lock nodes: no value key unless there is a value', () => {
    expect(Object.keys(JSON.parse(encodeOwnerData({ ...owner, value: undefined })))).toEqual([
      'lockId',
      'hostname',
      'pid',
      'createdAt',
    ]);
  });

  test.prop([fc.string()])('carries a leader value', (value) => {
    const data = encodeOwnerData({ ...owner, value });
    expect(JSON.parse(data)).toEqual({ ...owner, value });
    expect(decodeOwnerData(data)).toEqual(O.some({ ...owner, value }));
  });

  it.each([1, null, true, { host: 'x' }, ['a']])(
    'ignores a value that is no string (%j) but still knows the owner',
    (value) => {
      expect(decodeOwnerData(JSON.stringify({ ...owner, value }))).toEqual(O.some(owner));
    },
  );
});

describe('findOwnNode', () => {
  const mine = '00000000000000aa';
  const data = encodeOwnerData(owner);
  it('finds the participant with our session and lock id', () => {
    const children = [
      { name: 'lock-0000000001', data, ephemeralOwner: '00000000000000bb' },
      { name: 'lock-0000000002', data: encodeOwnerData({ ...owner, lockId: 'other' }), ephemeralOwner: mine },
      { name: 'lock-0000000003', data: 'lock', ephemeralOwner: mine },
      { name: 'foreign', data, ephemeralOwner: mine },
      { name: 'lock-0000000004', data, ephemeralOwner: mine },
    ];
    expect(findOwnNode(children, mine, 'id-1')).toEqual(O.some('lock-0000000004'));
  });

  it('finds a leader node that carries a value', () => {
    const withValue = encodeOwnerData({ ...owner, value: '10.0.0.7:8080' });
    expect(
      findOwnNode([{ name: 'lock-0000000009', data: withValue, ephemeralOwner: mine }], mine, 'id-1'),
    ).toEqual(O.some('lock-0000000009'));
  });

  it('finds nothing when the create never happened', () => {
    expect(
      findOwnNode([{ name: 'lock-0000000001', data, ephemeralOwner: '00000000000000bb' }], mine, 'id-1'),
    ).toEqual(O.none);
    expect(findOwnNode([], mine, 'id-1')).toEqual(O.none);
  });
});
