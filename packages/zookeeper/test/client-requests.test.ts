import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import zookeeper, { type Client, type Event } from '@zk-lock/node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientRequests, type ClientRequests } from '../src/client-requests.js';
import type { NodeStat } from '../src/stat.js';
import { publicRequests } from './support/public-requests.js';

/**
 * A session's requests go out encoded by `wire.ts` through the client's `queueEncoded`, and their
 * replies are decoded by `wire.ts`. Against a real server they must give the same answers, the same
 * errors and the same watches as the client's public methods, request by request.
 */

let zk: ZooKeeper;
let client: Client;
let other: Client;

const connect = (connectString: string): Promise<Client> =>
  new Promise((resolve) => {
    const c = zookeeper.createClient(connectString, { retries: 0 });
    c.once('connected', () => resolve(c));
    c.connect();
  });

beforeAll(async () => {
  zk = await startZooKeeper();
  [client, other] = await Promise.all([connect(zk.connectString), connect(zk.connectString)]);
});

afterAll(async () => {
  client?.close();
  other?.close();
  await zk?.close();
});

type Outcome = { readonly error: string } | { readonly value: unknown };

const call = <A>(send: (done: (error: unknown, value?: A) => void) => void): Promise<Outcome> =>
  new Promise((resolve) => {
    try {
      send((error, value) =>
        resolve(error ? { error: (error as { name?: string }).name ?? String(error) } : { value }),
      );
    } catch (error) {
      resolve({ error: (error as { code?: string }).code ?? String(error) });
    }
  });

/** What a stat says that does not differ between two runs of the same steps. */
const statShape = (stat: NodeStat): object => ({
  version: stat.version,
  dataLength: stat.dataLength,
  numChildren: stat.numChildren,
  ephemeral: stat.ephemeralOwner !== '0000000000000000',
});

/** Watch events in the order they fired; `next()` waits for the next one. */
class Events {
  readonly #fired: Event[] = [];
  #waiting: ((event: Event) => void) | undefined;

  readonly watcher = (event: Event): void => {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting === undefined) this.#fired.push(event);
    else waiting(event);
  };

  async next(): Promise<string> {
    const event = this.#fired.shift() ?? (await new Promise<Event>((resolve) => (this.#waiting = resolve)));
    return `${event.getName()} ${event.getPath().replace(/^\/r\d/, '')}`;
  }
}

/** The same steps with `requests` under `root`: what each returned, with node names made relative. */
const transcript = async (requests: ClientRequests, root: string): Promise<unknown[]> => {
  const events = new Events();
  const { watcher } = events;
  const steps: unknown[] = [];
  const step = async (
    outcome: Promise<Outcome>,
    shape: (value: never) => unknown = (v) => v,
  ): Promise<void> => {
    const result = await outcome;
    steps.push('value' in result ? { value: shape(result.value as never) } : result);
  };
  const parent = `${root}/lock`;
  await step(
    call<string>((done) => requests.create(root, Buffer.alloc(0), 'open', 0, done)),
    (p: string) => p.replace(root, ''),
  );
  await step(
    call<string>((done) => requests.create(parent, Buffer.from('p'), 'open', 0, done)),
    (p: string) => p.replace(root, ''),
  );
  await step(call<string>((done) => requests.create(parent, Buffer.alloc(0), 'open', 0, done)));
  const created = await call<string>((done) =>
    requests.create(
      `${parent}/lock-`,
      Buffer.from('{"owner":1}'),
      'open',
      zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
      done,
    ),
  );
  const node = 'value' in created ? (created.value as string) : '';
  steps.push(node.replace(root, ''));
  await step(
    call((done) => requests.getChildren(parent, undefined, done)),
    (r: { children: string[]; stat: NodeStat }) => ({
      children: r.children,
      stat: statShape(r.stat),
    }),
  );
  await step(
    call((done) => requests.getData(node, watcher, done)),
    (r: { data: Buffer; stat: NodeStat }) => ({
      data: r.data.toString(),
      stat: statShape(r.stat),
    }),
  );
  await step(call((done) => requests.getData(`${parent}/none`, undefined, done)));
  await step(
    call((done) => requests.exists(parent, undefined, done)),
    (s: NodeStat) => statShape(s),
  );
  await step(call((done) => requests.exists(`${parent}/later`, watcher, done)));
  await step(
    call((done) => requests.setData(parent, Buffer.from('q'), 0, done)),
    (s: NodeStat) => statShape(s),
  );
  await step(call((done) => requests.setData(parent, Buffer.from('stale'), 0, done)));
  await step(call((done) => requests.remove(parent, -1, done)));
  await step(call((done) => requests.remove(`${parent}/none`, -1, done)));
  await step(call((done) => requests.getChildren('/bad//path', undefined, done)));
  // Another session deletes the node and creates the watched one: both watches fire.
  await new Promise((resolve) => other.remove(node, -1, resolve));
  steps.push(await events.next());
  await new Promise((resolve) => other.create(`${parent}/later`, resolve));
  steps.push(await events.next());
  await step(call((done) => requests.remove(`${parent}/later`, -1, done)));
  await step(call((done) => requests.remove(node, 0, done)));
  // A child watch: another session adds a child.
  await step(
    call((done) => requests.getChildren(parent, watcher, done)),
    (r: { children: string[] }) => r.children,
  );
  await new Promise((resolve) => other.create(`${parent}/child`, resolve));
  steps.push(await events.next());
  return steps;
};

/** Both ways, the same reads of the same nodes at the same moment: every field must agree. */
const reads = async (requests: ClientRequests, parent: string, node: string): Promise<unknown[]> =>
  Promise.all([
    call((done) => requests.getChildren(parent, undefined, done)),
    call((done) => requests.getData(node, undefined, done)),
    call((done) => requests.exists(node, undefined, done)),
    call((done) => requests.getData('/', undefined, done)),
  ]);

describe('a session’s requests', () => {
  it('go out encoded through the client’s queueEncoded, one call each', async () => {
    const queueEncoded = vi.spyOn(client, 'queueEncoded');
    try {
      const requests = clientRequests(client);
      await call((done) => requests.exists('/', undefined, done));
      await call((done) => requests.getChildren('/', undefined, done));
      expect(queueEncoded).toHaveBeenCalledTimes(2);
    } finally {
      queueEncoded.mockRestore();
    }
  });

  it('answer encoded exactly as through the client’s public methods', async () => {
    const encoded = await transcript(clientRequests(client), '/r1');
    const viaPublic = await transcript(publicRequests(client), '/r2');
    expect(encoded).toEqual(viaPublic);
    // And the transcript says what it should: not two runs of the same mistake.
    expect(encoded).toEqual([
      { value: '' },
      { value: '/lock' },
      { error: 'NODE_EXISTS' },
      expect.stringMatching(/^\/lock\/lock-\d{10}$/),
      {
        value: {
          children: [expect.stringMatching(/^lock-\d{10}$/)],
          stat: { version: 0, dataLength: 1, numChildren: 1, ephemeral: false },
        },
      },
      {
        value: { data: '{"owner":1}', stat: { version: 0, dataLength: 11, numChildren: 0, ephemeral: true } },
      },
      { error: 'NO_NODE' },
      { value: { version: 0, dataLength: 1, numChildren: 1, ephemeral: false } },
      { value: null },
      { value: { version: 1, dataLength: 1, numChildren: 1, ephemeral: false } },
      { error: 'BAD_VERSION' },
      { error: 'NOT_EMPTY' },
      { error: 'NO_NODE' },
      { error: 'ERR_ASSERTION' },
      expect.stringMatching(/^NODE_DELETED \/lock\/lock-\d{10}$/),
      'NODE_CREATED /lock/later',
      { value: undefined },
      { error: 'NO_NODE' },
      { value: [] },
      'NODE_CHILDREN_CHANGED /lock',
    ]);
  });

  it('decode every field of a stat, the data and the children as the client does', async () => {
    const requests = clientRequests(client);
    const parent = '/r3/parent';
    await call((done) => requests.create('/r3', Buffer.alloc(0), 'open', 0, done));
    await call((done) => requests.create(parent, Buffer.from('ü data'), 'open', 0, done));
    await call((done) => requests.create(`${parent}/ä`, Buffer.alloc(0), 'open', 0, done));
    const created = await call<string>((done) =>
      requests.create(
        `${parent}/lock-`,
        Buffer.from([0, 255, 7]),
        'open',
        zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
        done,
      ),
    );
    const node = 'value' in created ? (created.value as string) : '';
    await new Promise((resolve) => other.setData(parent, Buffer.from('v1'), -1, resolve));

    const encoded = await reads(requests, parent, node);
    expect(encoded).toEqual(await reads(publicRequests(client), parent, node));
    const [listing, contents] = encoded as [
      { value: { children: string[]; stat: NodeStat } },
      { value: { data: Buffer; stat: NodeStat } },
    ];
    expect(listing.value.children.sort()).toEqual([node.slice(parent.length + 1), 'ä'].sort());
    expect(listing.value.stat).toMatchObject({ version: 1, dataLength: 2, numChildren: 2 });
    expect(listing.value.stat.czxid).toBeLessThan(listing.value.stat.mzxid);
    expect(listing.value.stat.pzxid).toBeGreaterThan(listing.value.stat.czxid);
    expect(contents.value.data).toEqual(Buffer.from([0, 255, 7]));
    expect(contents.value.stat.ephemeralOwner).toBe(
      (client.getSessionId() as Buffer).toString('hex').padStart(16, '0'),
    );
    expect(Math.abs(contents.value.stat.ctime - Date.now())).toBeLessThan(60_000);
  });
});
