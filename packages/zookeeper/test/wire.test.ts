import { createRequire } from 'node:module';
import { fc, test } from '@fast-check/vitest';
import zookeeper from '@zk-lock/node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import { encodeCreate, encodeDelete, encodePathRequest, OpCode, type WireAcl } from '../src/wire.js';

/**
 * `wire.ts` encodes the requests a lock sends in one pass. Its frames must be byte for byte those of
 * node-zookeeper-client's own encoder (`jute.Request.toBuffer()`), which the server has always
 * understood; and a path the client refuses must be refused the same way, before anything is sent.
 */

interface Record {
  [field: string]: unknown;
}
interface Jute {
  readonly protocol: Readonly<{ [name: string]: new () => Record }>;
  readonly data: Readonly<{ [name: string]: new (...args: unknown[]) => Record }>;
  readonly Request: new (header: Record, payload: Record) => { toBuffer(): Buffer };
}

const require = createRequire(import.meta.url);
// The client's own encoder and path check, not part of its public API: loaded from its files.
const jute = require('@zk-lock/node-zookeeper-client/lib/jute') as Jute;
const validate = (require('@zk-lock/node-zookeeper-client/lib/Path') as { validate: (path: string) => void })
  .validate;

/** The client's encoding of a request: header (xid 0) and a payload record with `fields`. */
const clientFrame = (type: number, payloadRecord: string, fields: Record): Buffer => {
  const header = new jute.protocol.RequestHeader!();
  header.xid = 0;
  header.type = type;
  const payload = Object.assign(new jute.protocol[payloadRecord]!(), fields);
  return new jute.Request(header, payload).toBuffer();
};

const segment = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .filter((s) => !s.includes('/') && !s.includes('\u0000') && s !== '.' && s !== '..');
const path = fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => `/${segments.join('/')}`);
const acl = fc.array(
  fc.record({
    permission: fc.integer({ min: 0, max: 31 }),
    id: fc.record({ scheme: fc.string({ maxLength: 8 }), id: fc.string({ maxLength: 24 }) }),
  }),
  { minLength: 1, maxLength: 3 },
);

const asClientAcl = (entries: ReadonlyArray<WireAcl>): unknown[] =>
  entries.map(({ permission, id }) => new jute.data.ACL!(permission, new jute.data.Id!(id.scheme, id.id)));

describe('wire encoding, against node-zookeeper-client’s own', () => {
  test.prop([path, fc.uint8Array({ maxLength: 300 }), acl, fc.integer({ min: 0, max: 3 })])(
    'create',
    (p, data, entries, flags) => {
      const bytes = Buffer.from(data);
      expect(encodeCreate(p, bytes, entries, flags)).toEqual(
        clientFrame(OpCode.create, 'CreateRequest', {
          path: p,
          data: bytes,
          acl: asClientAcl(entries),
          flags,
        }),
      );
    },
  );

  test.prop([path, fc.integer({ min: -1, max: 2 ** 31 - 1 })])('delete', (p, version) => {
    expect(encodeDelete(p, version)).toEqual(
      clientFrame(OpCode.delete, 'DeleteRequest', { path: p, version }),
    );
  });

  test.prop([fc.constantFrom(OpCode.exists, OpCode.getData, OpCode.getChildren2), path, fc.boolean()])(
    'exists, getData and getChildren2',
    (type, p, watch) => {
      const record = {
        [OpCode.exists]: 'ExistsRequest',
        [OpCode.getData]: 'GetDataRequest',
        [OpCode.getChildren2]: 'GetChildren2Request',
      }[type];
      expect(encodePathRequest(type, p, watch)).toEqual(clientFrame(type, record, { path: p, watch }));
    },
  );

  it('encodes the ACLs a session uses as the client’s own constants do', () => {
    const open = new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'));
    const data = Buffer.from('{"lockId":"x"}');
    expect(
      encodeCreate(
        '/locks/a/lock-',
        data,
        [{ permission: zookeeper.Permission.ALL, id: { scheme: 'world', id: 'anyone' } }],
        3,
      ),
    ).toEqual(
      clientFrame(OpCode.create, 'CreateRequest', {
        path: '/locks/a/lock-',
        data,
        acl: [(open as unknown as { toRecord(): unknown }).toRecord()],
        flags: 3,
      }),
    );
  });

  it('refuses the paths the client refuses, with its messages', () => {
    for (const bad of ['', 'locks', '/locks/', '/locks//a', '/locks/./a', '/locks/..', '/a/../b'] as const) {
      let message: string | undefined;
      try {
        validate(bad);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message, bad).toBeDefined();
      for (const encode of [
        () => encodePathRequest(OpCode.exists, bad, false),
        () => encodeDelete(bad, -1),
        () =>
          encodeCreate(bad, Buffer.alloc(0), [{ permission: 31, id: { scheme: 'world', id: 'anyone' } }], 0),
      ])
        expect(encode, bad).toThrow(expect.objectContaining({ code: 'ERR_ASSERTION', message }));
    }
    expect(() => encodePathRequest(OpCode.exists, '/', false)).not.toThrow();
  });
});
