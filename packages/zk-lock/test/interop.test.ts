import { waitFor } from '@zk-lock/testkit';
import { describe, expect, it } from 'vitest';
import { ZookeeperLock } from 'zk-lock';
import { enqueue2x } from './support/raw-2x-participant.js';
import { configFor, lockNodes, useZooKeeper } from './support/zookeeper.js';

const server = useZooKeeper();

describe('mixed fleet', () => {
  it('a raw node-zookeeper-client participant following the 2.x protocol and this library exclude each other on one key', async () => {
    const config = configFor(server());
    ZookeeperLock.initialize(config);
    const parent = `/locks/${config.pathPrefix}/shared`;
    const client = server().observer;

    // The 2.x participant holds: this library sees the key locked and waits behind it.
    const old = await enqueue2x(client, parent);
    await expect(old.firstDecision).resolves.toBe('holds');
    await expect(ZookeeperLock.checkLock('shared')).resolves.toBe(true);
    const ours = ZookeeperLock.lockFactory();
    const oursLocked = ours.lock('shared');
    await waitFor(async () => (await lockNodes(client, parent)).length === 2, { message: 'our node queued' });
    expect(ours.state).toBe(ZookeeperLock.States.LOCKING);

    // It lets go: we hold, and a newly arriving 2.x participant waits for us.
    await old.unlock();
    await expect(oursLocked).resolves.toBe(ours);
    const next = await enqueue2x(client, parent);
    await expect(next.firstDecision).resolves.toBe('waits');
    expect(await lockNodes(client, parent)).toEqual([ours.key, next.node]);

    // We let go: the 2.x participant gets it.
    await ours.unlock();
    await next.acquired;
    expect(next.holds()).toBe(true);
    await next.unlock();
  });
});
