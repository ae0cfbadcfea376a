import { startZooKeeper, type ZooKeeper, type ZooKeeperMember } from '@zk-lock/testkit';
import { SessionPool, type SessionLease } from '@zk-lock/zookeeper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rightOf } from './support/expect-either.js';
import { recordEvents } from './support/zookeeper.js';

/**
 * node-zookeeper-client 1.1.3 could schedule two reconnects when the server went away; the second
 * called net.connect(undefined), which threw ERR_MISSING_ARGS from a timer and killed the process.
 * @zk-lock/node-zookeeper-client fixes it (its CHANGELOG; its reconnect.test.ts shows the crash on
 * stock 1.1.3). Here a session of this adapter, with 2.x's habit of calling `client.connect()` on
 * every `disconnected` (`client` is public), lives through a stop and restart of its server.
 */

let zk: ZooKeeper;
let member: ZooKeeperMember;

beforeAll(async () => {
  zk = await startZooKeeper();
  member = zk.members[0] as ZooKeeperMember;
});

afterAll(async () => {
  await zk?.close();
});

describe('the reconnect crash of node-zookeeper-client 1.1.3', () => {
  it('a live session survives a stop and restart of its server, even with 2.x’s reconnect-on-disconnect', async () => {
    const pool = new SessionPool();
    const lease: SessionLease = rightOf(
      await pool.lease({ serverLocator: zk.connectString, sessionTimeout: 20_000 })(),
    );
    const { client } = lease.session;
    const events = recordEvents(lease.session);
    const reconnectLike2x = (): void => client.connect();
    client.on('disconnected', reconnectLike2x);
    await member.stop();
    await events.first('suspended');
    await member.start();
    await Promise.race([events.first('reconnected'), events.first('lost')]);
    expect(events.types()).toEqual(['suspended', 'reconnected']);
    rightOf(await lease.session.exists('/')());
    client.removeListener('disconnected', reconnectLike2x);
    await lease.release();
  });
});
