import { once } from 'node:events';
import { createRequire } from 'node:module';
import { startTcpProxy, startZooKeeper, type TcpProxy, type ZooKeeper } from '@zk-lock/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Client, ClientError, Event, ReplyDecoder } from '../index.js';
import { fork, forkDir } from './support/clients.js';

/**
 * CHANGELOG "Encoded requests": `queueEncoded` sends a request its caller encoded and answers it
 * with the caller's decoder, with the client's bookkeeping; `registerWatcher` leaves the watch the
 * client's own methods leave. Frames and decoders here come from the client's own jute records,
 * so every answer can be compared with the public method's.
 */

interface Record {
  [field: string]: unknown;
  deserialize(frame: Buffer, offset: number): number;
}
interface Jute {
  readonly protocol: Readonly<{ [name: string]: new () => Record }>;
  readonly Request: new (header: Record, payload: Record) => { toBuffer(): Buffer };
}
const jute = createRequire(import.meta.url)(`${forkDir}/lib/jute`) as Jute;

const OP = { create: 1, delete: 2, exists: 3, getData: 4, getChildren2: 12 } as const;

const frame = (type: number, record: string, fields: object): Buffer => {
  const header = new jute.protocol['RequestHeader']!();
  header['type'] = type;
  return new jute.Request(header, Object.assign(new jute.protocol[record]!(), fields)).toBuffer();
};

/** A decoder that reads the reply's payload as the client's own response record does. */
const decoder =
  (record: string): ReplyDecoder<Record> =>
  (reply, offset) => {
    const response = new jute.protocol[record]!();
    response.deserialize(reply, offset);
    return response;
  };

let zk: ZooKeeper;
let proxy: TcpProxy;
const clients: Client[] = [];

const connected = async (connectString = zk.connectString): Promise<Client> => {
  const client = fork.createClient(connectString, { sessionTimeout: 10_000, spinDelay: 50 });
  clients.push(client);
  const ready = once(client, 'connected');
  client.connect();
  await ready;
  return client;
};

type Outcome = { readonly error: string } | { readonly value: unknown };

const encoded = <A>(client: Client, bytes: Buffer, decode?: ReplyDecoder<A>): Promise<Outcome> =>
  new Promise((resolve) =>
    client.queueEncoded(bytes, decode, (error, value) =>
      resolve(error ? { error: (error as { name: string }).name } : { value }),
    ),
  );

const viaPublic = (call: (done: (error: ClientError | null, ...values: unknown[]) => void) => void) =>
  new Promise<Outcome>((resolve) =>
    call((error, ...values) => resolve(error ? { error: error.name } : { value: values })),
  );

beforeAll(async () => {
  zk = await startZooKeeper();
  proxy = await startTcpProxy({ target: zk.connectString });
});
afterEach(() => {
  proxy.restore();
  for (const client of clients.splice(0)) client.close();
});
afterAll(async () => {
  await proxy?.close();
  await zk?.close();
});

describe('queueEncoded', () => {
  it('answers as the public methods do, success and failure, request by request', async () => {
    const client = await connected();
    const data = Buffer.from('payload');
    const acl = fork.ACL.OPEN_ACL_UNSAFE.map((entry) =>
      (entry as unknown as { toRecord(): unknown }).toRecord(),
    );
    const create = (path: string) => frame(OP.create, 'CreateRequest', { path, data, acl, flags: 0 });

    expect(await encoded(client, create('/encoded'), decoder('CreateResponse'))).toMatchObject({
      value: { path: '/encoded' },
    });
    expect(await encoded(client, create('/encoded'))).toEqual({ error: 'NODE_EXISTS' });
    expect(await viaPublic((done) => client.create('/encoded', data, done))).toEqual({
      error: 'NODE_EXISTS',
    });

    const read = await encoded(
      client,
      frame(OP.getData, 'GetDataRequest', { path: '/encoded', watch: false }),
      decoder('GetDataResponse'),
    );
    const [data2, stat] = (
      (await viaPublic((done) => client.getData('/encoded', done))) as { value: unknown[] }
    ).value;
    expect(read).toMatchObject({ value: { data: data2, stat } });

    const listed = await encoded(
      client,
      frame(OP.getChildren2, 'GetChildren2Request', { path: '/', watch: false }),
      decoder('GetChildren2Response'),
    );
    expect((listed as { value: { children: string[] } }).value.children.sort()).toEqual([
      'encoded',
      'zookeeper',
    ]);

    expect(await encoded(client, frame(OP.exists, 'ExistsRequest', { path: '/none', watch: false }))).toEqual(
      { error: 'NO_NODE' },
    );
    expect(
      await encoded(client, frame(OP.delete, 'DeleteRequest', { path: '/encoded', version: -1 })),
    ).toEqual({ value: undefined });
    expect(await viaPublic((done) => client.exists('/encoded', done))).toEqual({ value: [null] });
  });

  it('keeps its turn among the client’s own requests, each answered with its own reply', async () => {
    const client = await connected();
    const order: string[] = [];
    const exists = frame(OP.exists, 'ExistsRequest', { path: '/zookeeper', watch: false });
    await Promise.all([
      viaPublic((done) => client.exists('/zookeeper', done)).then(() => order.push('public 1')),
      encoded(client, exists, decoder('ExistsResponse')).then(() => order.push('encoded')),
      viaPublic((done) => client.exists('/none', done)).then(() => order.push('public 2')),
    ]);
    expect(order).toEqual(['public 1', 'encoded', 'public 2']);
  });

  it('a watch asked for in the frame fires once registerWatcher has added the watcher', async () => {
    const client = await connected();
    const other = await connected();
    await viaPublic((done) => other.create('/watched', done));
    let fire: (event: Event) => void = () => undefined;
    const fired = new Promise<Event>((resolve) => (fire = resolve));
    // Registered in the reply's callback, as the client's own getData does: a notification in the
    // same socket chunk as the reply is dispatched before any later (promise) turn.
    const armed = await new Promise<ClientError | null>((resolve) =>
      client.queueEncoded(
        frame(OP.getData, 'GetDataRequest', { path: '/watched', watch: true }),
        undefined,
        (error) => {
          if (error === null) client.registerWatcher('data', '/watched', fire);
          resolve(error);
        },
      ),
    );
    expect(armed).toBeNull();
    await viaPublic((done) => other.remove('/watched', done));
    expect((await fired).getName()).toBe('NODE_DELETED');
  });

  it('fails a request lost with its connection; the session carries on with the zxid it saw', async () => {
    const client = await connected(proxy.address);
    const session = client.getSessionId();
    const made = await encoded(
      client,
      frame(OP.create, 'CreateRequest', {
        path: '/before-cut',
        acl: fork.ACL.OPEN_ACL_UNSAFE.map((entry) =>
          (entry as unknown as { toRecord(): unknown }).toRecord(),
        ),
        flags: 1,
      }),
    );
    expect(made).toEqual({ value: undefined });
    proxy.blackhole();
    const lost = encoded(client, frame(OP.exists, 'ExistsRequest', { path: '/', watch: false }));
    const reconnected = once(client, 'connected');
    proxy.cutAll();
    proxy.restore();
    expect(await lost).toEqual({ error: 'CONNECTION_LOSS' });
    await reconnected;
    expect(client.getSessionId()).toEqual(session);
    expect(await viaPublic((done) => client.exists('/before-cut', done))).toMatchObject({
      value: [{ ephemeralOwner: session }],
    });
  });

  it('a decoder that throws fails its request only', async () => {
    const client = await connected();
    const exists = () => frame(OP.exists, 'ExistsRequest', { path: '/', watch: false });
    const broken = await new Promise<unknown>((resolve) =>
      client.queueEncoded(
        exists(),
        () => {
          throw new Error('cannot decode');
        },
        resolve,
      ),
    );
    expect(broken).toMatchObject({ message: 'cannot decode' });
    expect(await encoded(client, exists(), () => 'fine')).toEqual({ value: 'fine' });
  });

  it('refuses a malformed frame, a request without xid, and a connect string with a chroot', () => {
    const client = fork.createClient('127.0.0.1:1');
    const done = () => undefined;
    expect(() => client.queueEncoded(Buffer.alloc(8), undefined, done)).toThrow(/frame must be a Buffer/);
    const ping = Buffer.alloc(12);
    ping.writeInt32BE(8, 0);
    ping.writeInt32BE(11, 8);
    expect(() => client.queueEncoded(ping, undefined, done)).toThrow(/not type 11/);
    const chrooted = fork.createClient('127.0.0.1:1/app');
    expect(() =>
      chrooted.queueEncoded(frame(OP.exists, 'ExistsRequest', { path: '/', watch: false }), undefined, done),
    ).toThrow(/chroot/);
    expect(() => client.registerWatcher('all' as 'data', '/', done)).toThrow(/kind must be/);
  });
});
