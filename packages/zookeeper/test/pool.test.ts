import { startTcpProxy, startZooKeeper, waitFor, type ZooKeeper } from '@zk-lock/testkit';
import { SessionPool, createLockPort, type SessionLease, type SessionOptions } from '@zk-lock/zookeeper';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rightOf } from './support/expect-either.js';
import { recordEvents, sessionsOnServer } from './support/zookeeper.js';

let zk: ZooKeeper;

const options = (overrides: Partial<SessionOptions> = {}): SessionOptions => ({
  serverLocator: zk.connectString,
  sessionTimeout: 10_000,
  ...overrides,
});

const lease = async (pool: SessionPool, overrides: Partial<SessionOptions> = {}): Promise<SessionLease> =>
  rightOf(await pool.lease(options(overrides))());

const sessionsAre = (count: number): Promise<true> =>
  waitFor(async () => (await sessionsOnServer(zk)) === count || undefined, {
    message: `${count} session(s) on the server`,
  });

beforeAll(async () => {
  zk = await startZooKeeper();
});

afterAll(async () => {
  await zk?.close();
});

describe('SessionPool', () => {
  it('holds 1000 locks on distinct keys in ONE ZooKeeper session', async () => {
    const pool = new SessionPool();
    const ports = Array.from({ length: 1000 }, () => createLockPort({ ...options(), pool }));
    const sessionIds = new Set<string>();
    await Promise.all(
      ports.map(async (port, index) => {
        sessionIds.add(rightOf(await port.connect()()).sessionId);
        const parent = `/locks/pool/key-${index}`;
        rightOf(await port.createParents(parent)());
        rightOf(await port.createSequential(parent, 'lock-', '')());
      }),
    );
    expect(sessionIds.size).toBe(1);
    expect(pool.size).toBe(1);
    expect(await sessionsOnServer(zk)).toBe(1);
    await Promise.all(ports.map((port) => port.disconnect()));
    expect(pool.size).toBe(0);
    await sessionsAre(0);
  });

  it('closes the session when the last lease is released, not before', async () => {
    const pool = new SessionPool();
    const first = await lease(pool);
    const second = await lease(pool);
    expect(second.session).toBe(first.session);
    await first.release();
    await first.release(); // idempotent: does not count twice
    expect(second.session.state).toBe('live');
    expect(await sessionsOnServer(zk)).toBe(1);
    await second.release();
    expect(second.session.state).toBe('closed');
    await sessionsAre(0);
    const third = await lease(pool);
    expect(third.session).not.toBe(first.session);
    await third.release();
  });

  it('shares by servers (in any order), session timeout and credentials', async () => {
    const pool = new SessionPool();
    const [address] = zk.connectString.split(',');
    const base = await lease(pool);
    const sameServersAsList = await lease(pool, {
      serverLocator: [{ host: '127.0.0.1', port: Number(address?.split(':')[1]) }],
    });
    const otherTimeout = await lease(pool, { sessionTimeout: 12_000 });
    const otherCredentials = await lease(pool, { auth: [{ scheme: 'digest', id: 'u:p' }] });
    expect(sameServersAsList.session).toBe(base.session);
    expect(otherTimeout.session).not.toBe(base.session);
    expect(otherCredentials.session).not.toBe(base.session);
    expect(otherCredentials.session).not.toBe(otherTimeout.session);
    expect(pool.size).toBe(3);
    await Promise.all(
      [base, sameServersAsList, otherTimeout, otherCredentials].map((each) => each.release()),
    );
    expect(pool.size).toBe(0);
  });

  it('gives each connectionPerLock lease a session of its own', async () => {
    const pool = new SessionPool();
    const a = await lease(pool, { connectionPerLock: true });
    const b = await lease(pool, { connectionPerLock: true });
    expect(a.session.sessionId).not.toBe(b.session.sessionId);
    expect(pool.size).toBe(0);
    await sessionsAre(2);
    await a.release();
    expect(b.session.state).toBe('live');
    await b.release();
    await sessionsAre(0);
  });

  it('drops a lost session so that the next lease gets a fresh one', async () => {
    const proxy = await startTcpProxy({ target: zk.connectString });
    const pool = new SessionPool();
    const proxied = { serverLocator: proxy.address, sessionTimeout: 2_000 };
    const held = await lease(pool, proxied);
    const events = recordEvents(held.session);
    proxy.blackhole();
    await events.first('lost');
    expect(held.session.state).toBe('lost');
    expect(pool.size).toBe(0);
    proxy.restore();
    const fresh = await lease(pool, proxied);
    expect(fresh.session.sessionId).not.toBe(held.session.sessionId);
    await held.release(); // the dead lease's release does not touch the fresh session
    expect(fresh.session.state).toBe('live');
    await fresh.release();
    await proxy.close();
  });

  it('rejects bad options with BAD_ARGUMENTS naming the field, before connecting', async () => {
    const pool = new SessionPool();
    for (const [field, overrides] of [
      ['sessionTimeout', { sessionTimeout: -1 }],
      ['spinDelay', { spinDelay: 1.5 }],
      ['auth', { auth: [{ scheme: 'digest', id: 'no-colon' }] }],
      ['connectTimeoutMs', { connectTimeoutMs: 0 }],
      ['locatorTimeoutMs', { locatorTimeoutMs: -5 }],
    ] as const) {
      const result = await pool.lease(options(overrides as Partial<SessionOptions>))();
      expect(result).toMatchObject({
        left: { code: 'BAD_ARGUMENTS', message: expect.stringMatching(`^${field}: `) },
      });
    }
    // Credentials never appear in the message.
    const auth = await pool.lease(options({ auth: [{ scheme: 'digest', id: 'secret' }] }))();
    expect(JSON.stringify(auth)).not.toContain('secret');
    expect(pool.size).toBe(0);
  });
});
