import { describe, expect, it } from 'vitest';
import { FakeZooKeeper } from './support/fake-zookeeper.js';
import { flush, lockInput, settled, startLock } from './support/run-lock.js';

const PARENT = '/locks/app/job';

describe('lock machine over the fake store', () => {
  it('acquires and releases uncontended with exactly create, list, remove', async () => {
    const zk = new FakeZooKeeper();
    zk.mkdirp(PARENT);
    const session = zk.session();
    const actor = startLock(session.port(), lockInput(PARENT));
    const held = await settled(actor);
    expect(held.value).toEqual({ held: 'live' });
    expect(held.context.node).toBe('lock-0000000000');
    expect(held.context.fencingToken).toBe((zk.czxid(PARENT)! << 32n) | 0n);
    actor.send({ type: 'RELEASE' });
    await flush();
    expect(actor.getSnapshot().value).toBe('released');
    expect(session.requests).toEqual(['connect', 'createSequential', 'listChildren', 'remove']);
    expect(zk.ephemeralPaths()).toEqual([]);
    expect(session.disconnects).toBe(1);
    expect(session.subscribers).toBe(0);
  });
});
