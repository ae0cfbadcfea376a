import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import zookeeper from 'node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodedQueue } from '../src/client-internals.js';
import { clientRequests, publicRequests, type ClientRequests } from '../src/client-requests.js';

/**
 * A session's requests go out encoded by `wire.ts` and queued on the client's connection; clients
 * whose internals look different use the public methods. Against a real server both must give the
 * same answers, the same errors and the same watches, request by request.
 */

let zk: ZooKeeper;
let client: zookeeper.Client;
let other: zookeeper.Client;

const connect = (connectString: string): Promise<zookeeper.Client> =>
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
const statShape = (stat: zookeeper.Stat): object => ({
  version: stat.version,
  dataLength: stat.dataLength,
  numChildren: stat.numChildren,
  ephemeral: !stat.ephemeralOwner.equals(Buffer.alloc(8)),
});

/** Watch events in the order they fired; `next()` waits for the next one. */
class Events {
  readonly #fired: zookeeper.Event[] = [];
  #waiting: ((event: zookeeper.Event) => void) | undefined;

  readonly watcher = (event: zookeeper.Event): void => {
    const waiting = this.#waiting;
    this.#waiting = undefined;
    if (waiting === undefined) this.#fired.push(event);
    else waiting(event);
  };

  async next(): Promise<string> {
    const event =
      this.#fired.shift() ?? (await new Promise<zookeeper.Event>((resolve) => (this.#waiting = resolve)));
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
    call((done) => requests.getChildren(parent, done)),
    (r: { children: string[]; stat: zookeeper.Stat }) => ({
      children: r.children,
      stat: statShape(r.stat),
    }),
  );
  await step(
    call((done) => requests.getData(node, watcher, done)),
    (r: { data: Buffer; stat: zookeeper.Stat }) => ({
      data: r.data.toString(),
      stat: statShape(r.stat),
    }),
  );
  await step(call((done) => requests.getData(`${parent}/none`, undefined, done)));
  await step(
    call((done) => requests.exists(parent, undefined, done)),
    (s: zookeeper.Stat) => statShape(s),
  );
  await step(call((done) => requests.exists(`${parent}/later`, watcher, done)));
  await step(call((done) => requests.remove(parent, -1, done)));
  await step(call((done) => requests.remove(`${parent}/none`, -1, done)));
  await step(call((done) => requests.getChildren('/bad//path', done)));
  // Another session deletes the node and creates the watched one: both watches fire.
  await new Promise((resolve) => other.remove(node, -1, resolve));
  steps.push(await events.next());
  await new Promise((resolve) => other.create(`${parent}/later`, resolve));
  steps.push(await events.next());
  await step(call((done) => requests.remove(`${parent}/later`, -1, done)));
  await step(call((done) => requests.remove(node, 0, done)));
  return steps;
};

describe('a session’s requests', () => {
  it('go out encoded on node-zookeeper-client 1.1.3', () => {
    expect(encodedQueue(client)).toBeDefined();
    expect(clientRequests(client).constructor.name).not.toBe(publicRequests(client).constructor.name);
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
      { error: 'NOT_EMPTY' },
      { error: 'NO_NODE' },
      { error: 'ERR_ASSERTION' },
      expect.stringMatching(/^NODE_DELETED \/lock\/lock-\d{10}$/),
      'NODE_CREATED /lock/later',
      { value: undefined },
      { error: 'NO_NODE' },
    ]);
  });
});
