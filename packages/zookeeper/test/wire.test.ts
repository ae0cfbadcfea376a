import { createRequire } from 'node:module';
import { fc, test } from '@fast-check/vitest';
import zookeeper from '@zk-lock/node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import {
  CreateFlags,
  decodeCreated,
  encodeCreate,
  encodeDelete,
  encodePathRequest,
  OpCode,
  type WireAcl,
} from '../src/wire.js';

/**
 * `wire.ts` encodes the requests a lock sends in one pass. Its frames must be byte for byte those of
 * node-zookeeper-client's own encoder (`jute.Request.toBuffer()`), which the server has always
 * understood; and a path the client refuses must be refused the same way, before anything is sent.
 */

interface Record {
  [field: string]: unknown;
}
/** A record the client's jute made, which can write itself. */
interface SerializableRecord extends Record {
  byteLength(): number;
  serialize(buffer: Buffer, offset: number): number;
}
interface Jute {
  readonly protocol: Readonly<{ [name: string]: new () => Record }>;
  readonly data: Readonly<{ [name: string]: new (...args: unknown[]) => SerializableRecord }>;
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

const bigEndian = (value: bigint): Buffer => {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64BE(value);
  return bytes;
};

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

  test.prop([path, fc.uint8Array({ maxLength: 300 }), acl])(
    'createContainer: create’s payload with the CONTAINER flags, under opcode 19',
    (p, data, entries) => {
      const bytes = Buffer.from(data);
      expect(encodeCreate(p, bytes, entries, CreateFlags.container)).toEqual(
        clientFrame(19, 'CreateRequest', { path: p, data: bytes, acl: asClientAcl(entries), flags: 4 }),
      );
    },
  );

  test.prop([path, fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), fc.nat(), fc.nat()])(
    'create2’s reply (createContainer’s): decodeCreated reads its path, the Stat after it left unread',
    (p, zxid, version, children) => {
      const stat = Object.assign(new jute.data.Stat!(), {
        czxid: bigEndian(zxid),
        mzxid: bigEndian(zxid + 1n),
        ctime: bigEndian(1_700_000_000_000n),
        mtime: bigEndian(1_700_000_000_001n),
        version,
        cversion: children,
        aversion: 0,
        ephemeralOwner: bigEndian(0n),
        dataLength: 3,
        numChildren: children,
        pzxid: bigEndian(zxid + 2n),
      });
      const header = Buffer.alloc(20); // length, xid, zxid, err: the decoder starts after them
      const pathBytes = Buffer.from(p, 'utf8');
      const pathField = Buffer.alloc(4 + pathBytes.length);
      pathField.writeInt32BE(pathBytes.length);
      pathBytes.copy(pathField, 4);
      const statBytes = Buffer.alloc(stat.byteLength());
      stat.serialize(statBytes, 0);
      expect(decodeCreated(Buffer.concat([header, pathField, statBytes]), 20)).toEqual({ path: p });
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
