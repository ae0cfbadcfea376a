import { once } from 'node:events';
import { startTcpProxy, startZooKeeper, type TcpProxy, type ZooKeeper } from '@zk-lock/testkit';
import { ZkSession, resolveServers, type SessionSettings } from '@zk-lock/zookeeper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftOf, rightOf } from './support/expect-either.js';

/**
 * The sessions run on @zk-lock/node-zookeeper-client, whose fixes are its own (its CHANGELOG and
 * regression tests). Here, what they mean for a session, against a real server behind the
 * testkit's proxy: a reply with an error code the client has no name for fails one request as
 * UNKNOWN, and a close on a silent server still ends.
 */

const settings: SessionSettings = {
  sessionTimeout: 10_000,
  spinDelay: 100,
  auth: [],
  connectTimeoutMs: 10_000,
};
const GET_CHILDREN2 = 12;
const THROTTLED_OP = -127;

let zk: ZooKeeper;
let proxy: TcpProxy;

const open = async (): Promise<ZkSession> =>
  rightOf(await ZkSession.open(rightOf(await resolveServers(proxy.address)()), settings)());

beforeAll(async () => {
  zk = await startZooKeeper();
  proxy = await startTcpProxy({ target: zk.connectString });
});

afterAll(async () => {
  await proxy?.close();
  await zk?.close();
});

describe('a session on the fork', () => {
  it('fails a request answered with an unknown error code as UNKNOWN naming the code, and carries on', async () => {
    const session = await open();
    try {
      const rewritten = proxy.failNextReply(GET_CHILDREN2, THROTTLED_OP);
      expect(leftOf(await session.getChildren('/')())).toMatchObject({
        code: 'UNKNOWN',
        path: '/',
        message: 'ZooKeeper UNKNOWN[-127] (/)',
      });
      await rewritten;
      expect(rightOf(await session.getChildren('/')()).children).toContain('zookeeper');
      expect(session.state).toBe('live');
    } finally {
      await session.close();
    }
  });

  it('closes on a silent server: the client drops its socket after the grace period', async () => {
    const session = await open();
    const disconnected = once(session.client, 'disconnected');
    proxy.blackhole();
    try {
      // Resolves once the client's socket is gone: never, if the client waited for the server.
      await session.close();
      await disconnected;
      expect(session.state).toBe('closed');
    } finally {
      proxy.restore();
    }
  });
});
