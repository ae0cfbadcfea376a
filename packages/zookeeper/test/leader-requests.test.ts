import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { resolveServers, ZkSession, type SessionSettings, type WatchEvent } from '@zk-lock/zookeeper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftOf, rightOf } from './support/expect-either.js';

const settings: SessionSettings = {
  sessionTimeout: 10_000,
  spinDelay: 100,
  auth: [],
  connectTimeoutMs: 10_000,
};

let zk: ZooKeeper;
let session: ZkSession;

const open = async (): Promise<ZkSession> =>
  rightOf(await ZkSession.open(rightOf(await resolveServers(zk.connectString)()), settings)());

beforeAll(async () => {
  zk = await startZooKeeper();
  session = await open();
});

afterAll(async () => {
  await session?.close();
  await zk?.close();
});

/** Lists `path` with a child watch; resolves with the listing and the watch's first event. */
const listWatched = async (path: string) => {
  let fire: (event: WatchEvent) => void = () => undefined;
  const event = new Promise<WatchEvent>((resolve) => (fire = resolve));
  const listing = rightOf(await session.getChildren(path, fire)());
  return { listing, event };
};

describe('ZkSession.getChildren with a watcher', () => {
  it('lists the children with the parent Stat and hears the next change of them', async () => {
    rightOf(await session.mkdirp('/election/a')());
    rightOf(await session.create('/election/a/lock-', { mode: 'ephemeral-sequential' })());
    const { listing, event } = await listWatched('/election/a');
    expect(listing.children).toEqual(['lock-0000000000']);
    expect(listing.stat.czxid).toBeGreaterThan(0n);
    rightOf(await session.create('/election/a/lock-', { mode: 'ephemeral-sequential' })());
    expect(await event).toEqual({ type: 'childrenChanged', path: '/election/a' });
  });

  it("hears the parent's deletion, and fails NO_NODE for a missing parent", async () => {
    rightOf(await session.mkdirp('/election/b')());
    const { event } = await listWatched('/election/b');
    rightOf(await session.remove('/election/b')());
    expect((await event).type).toBe('deleted');
    expect(leftOf(await session.getChildren('/election/b', () => undefined)()).code).toBe('NO_NODE');
  });

  it('fails CLOSED on a closed session, as its own requests do', async () => {
    const other = await open();
    await other.close();
    expect(leftOf(await other.getChildren('/', () => undefined)()).code).toBe('CLOSED');
    expect(leftOf(await other.setData('/', 'x', 0)()).code).toBe('CLOSED');
  });
});

describe('ZkSession.setData at a version', () => {
  it('writes at the expected version and refuses any other with BAD_VERSION, leaving the data', async () => {
    rightOf(await session.create('/election/data', { data: 'v0' })());
    const stat = rightOf(await session.setData('/election/data', 'v1', 0)());
    expect(stat.version).toBe(1);
    const refused = leftOf(await session.setData('/election/data', 'stale', 0)());
    expect(refused).toMatchObject({ code: 'BAD_VERSION', path: '/election/data' });
    expect(rightOf(await session.getData('/election/data')()).data.toString()).toBe('v1');
    expect(leftOf(await session.setData('/election/none', 'x', 0)()).code).toBe('NO_NODE');
  });
});
