import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connectRaw, startTcpProxy, startZooKeeper, waitFor, type ZooKeeper } from '@zk-lock/testkit';
import { SessionPool, createLockPort, type SessionLease, type SessionOptions } from '@zk-lock/zookeeper';
import * as O from 'fp-ts/lib/Option.js';
import type zookeeper from '@zk-lock/node-zookeeper-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rightOf } from './support/expect-either.js';
import { packetsReceived, recordEvents, sessionsOnServer } from './support/zookeeper.js';

let zk: ZooKeeper;

/** Sessions close as soon as the last lease goes, unless a test asks for a linger. */
const options = (overrides: Partial<SessionOptions> = {}): SessionOptions => ({
  serverLocator: zk.connectString,
  sessionTimeout: 10_000,
  sessionLingerMs: 0,
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

  it('leaseNow: a live pooled session without waiting; none on a cold pool or for a locator function', async () => {
    const pool = new SessionPool();
    expect(O.isNone(pool.leaseNow(options()))).toBe(true);
    const first = await lease(pool, { sessionLingerMs: 60_000 });
    const now = pool.leaseNow(options({ sessionLingerMs: 60_000 }));
    expect(O.isSome(now) && now.value.session).toBe(first.session);
    const [host, port] = zk.connectString.split(':');
    const locator = () => Promise.resolve({ host: host!, port: Number(port) });
    expect(O.isNone(pool.leaseNow(options({ serverLocator: locator })))).toBe(true);
    expect(O.isNone(pool.leaseNow(options({ connectionPerLock: true })))).toBe(true);
    // Counted like any lease: the session outlives the first and lingers after the last.
    await first.release();
    expect(first.session.state).toBe('live');
    if (O.isSome(now)) await now.value.release();
    expect(pool.size).toBe(1);
    const again = pool.leaseNow(options({ sessionLingerMs: 60_000 }));
    expect(O.isSome(again) && again.value.session).toBe(first.session);
    if (O.isSome(again)) await again.value.release();
    await pool.close();
    expect(O.isNone(pool.leaseNow(options()))).toBe(true);
  });

  it('windowNow: one window per shared session key, none for sessions of their own or a locator function', () => {
    const pool = new SessionPool();
    const window = pool.windowNow(options());
    expect(window?.size).toBe(32);
    // Same servers, timeout and credentials: the same session, so the same window, also before it opened.
    expect(pool.windowNow(options({ sessionLingerMs: 5 }))).toBe(window);
    expect(createLockPort({ ...options(), pool }).window()).toBe(window);
    expect(pool.windowNow(options({ sessionTimeout: 20_000 }))).not.toBe(window);
    expect(pool.windowNow(options({ connectionPerLock: true, sessionOwner: 'me' }))).toBeUndefined();
    const [host, port] = zk.connectString.split(':');
    const locator = () => Promise.resolve({ host: host!, port: Number(port) });
    expect(pool.windowNow(options({ serverLocator: locator }))).toBeUndefined();
    expect(new SessionPool().windowNow(options())).not.toBe(window);
  });

  it('connectNow: a port on a warm pool has its session at once and hears its events', async () => {
    const pool = new SessionPool();
    const warm = createLockPort({ ...options({ sessionLingerMs: 60_000 }), pool });
    const sessionId = rightOf(await warm.connect()()).sessionId;
    await warm.disconnect();
    const port = createLockPort({ ...options({ sessionLingerMs: 60_000 }), pool });
    const events: string[] = [];
    port.subscribe((event) => events.push(event.type));
    const now = port.connectNow();
    expect(O.isSome(now) && now.value.sessionId).toBe(sessionId);
    expect(rightOf(await port.connect()()).sessionId).toBe(sessionId);
    rightOf(await port.createParents('/locks/pool/connect-now')());
    await pool.close();
    expect(events).toEqual(['lost']);
    expect(O.isNone(port.connectNow())).toBe(true);
    expect(O.isNone(createLockPort({ ...options(), pool }).connectNow())).toBe(true);
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

  it('keeps a released session open for the next lease within sessionLingerMs, then closes it', async () => {
    const pool = new SessionPool();
    const lingering = { sessionLingerMs: 5_000 };
    const first = await lease(pool, lingering);
    const events = recordEvents(first.session);
    await first.release();
    expect(first.session.state).toBe('live');
    expect(pool.size).toBe(1);
    const before = await packetsReceived(zk);
    const second = await lease(pool, lingering);
    expect(second.session).toBe(first.session);
    expect((await packetsReceived(zk)) - before).toBe(1); // the mntr request alone: no reconnect
    await second.release();
    expect((await events.first('lost')).event).toEqual({ type: 'lost', reason: 'closed' });
    expect(pool.size).toBe(0);
    const third = await lease(pool, lingering);
    expect(third.session).not.toBe(first.session);
    await pool.close();
    expect(third.session.state).toBe('closed');
  });

  it('gives a connectionPerLock owner one private session across leases; other owners and owner-less leases get their own', async () => {
    const pool = new SessionPool();
    const [owner, other] = [{}, {}];
    const perLock = (sessionOwner?: object | string): Partial<SessionOptions> => ({
      connectionPerLock: true,
      sessionLingerMs: 5_000,
      sessionOwner,
    });
    const first = await lease(pool, perLock(owner));
    await first.release();
    const again = await lease(pool, perLock(owner));
    const byOther = await lease(pool, perLock(other));
    const byName = await lease(pool, perLock('name'));
    const unowned = await lease(pool, perLock());
    const shared = await lease(pool, { sessionLingerMs: 5_000 });
    expect(again.session).toBe(first.session);
    const ids = [again, byOther, byName, unowned, shared].map(({ session }) => session.sessionId);
    expect(new Set(ids).size).toBe(5);
    expect(pool.size).toBe(4); // the owner-less connectionPerLock session is not pooled
    await unowned.release();
    expect(unowned.session.state).toBe('closed');
    await pool.close();
    await unowned.release();
    await sessionsAre(0);
  });

  it('closes a lingering session whose connection falters instead of reconnecting it', async () => {
    const proxy = await startTcpProxy({ target: zk.connectString });
    const pool = new SessionPool();
    const held = await lease(pool, {
      serverLocator: proxy.address,
      sessionTimeout: 2_000,
      sessionLingerMs: 60_000,
    });
    const events = recordEvents(held.session);
    await held.release();
    proxy.blackhole();
    expect((await events.first('lost')).event).toEqual({ type: 'lost', reason: 'closed' });
    expect(events.types()).toEqual(['suspended', 'lost']);
    expect(pool.size).toBe(0);
    await proxy.close();
  });

  it('a lingering session neither keeps the process alive nor outlives it', async () => {
    const raw: zookeeper.Client = await connectRaw(zk.connectString);
    const node = '/linger-exit-evidence';
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(new URL('./fixtures/linger-exit.mts', import.meta.url)),
        zk.connectString,
        node,
      ],
      {
        cwd: fileURLToPath(new URL('../../../', import.meta.url)),
        env: { ...process.env, ADAPTER_MODULE: fileURLToPath(new URL('../src/index.ts', import.meta.url)) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // The linger is ten minutes and the session timeout 20 s: exiting within this test's timeout
    // means nothing waited for the linger, and the evidence gone within 5 s means the session was closed.
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, output }).toEqual({ code: 0, output: 'released\n' });
    await waitFor(
      () =>
        new Promise<boolean>((resolve) =>
          raw.exists(node, (error, stat) => resolve(!error && stat === null)),
        ),
      { timeoutMs: 5_000, message: 'the ephemeral node of the exited session gone' },
    );
    raw.close();
  });

  it('takes a tiny requested session timeout as the request it is: the server raises it, the session opens', async () => {
    const pool = new SessionPool();
    const tiny = await lease(pool, { sessionTimeout: 1 });
    try {
      // The testkit's server allows 1000 ms at least (two ticks of 500 ms).
      expect(tiny.session.sessionTimeoutMs).toBe(1_000);
      expect(tiny.session.state).toBe('live');
    } finally {
      await tiny.release();
    }
  });

  it('rejects bad options with BAD_ARGUMENTS naming the field, before connecting', async () => {
    const pool = new SessionPool();
    for (const [field, overrides] of [
      ['sessionTimeout', { sessionTimeout: -1 }],
      ['spinDelay', { spinDelay: 1.5 }],
      ['auth', { auth: [{ scheme: 'digest', id: 'no-colon' }] }],
      ['connectTimeoutMs', { connectTimeoutMs: 0 }],
      ['locatorTimeoutMs', { locatorTimeoutMs: -5 }],
      ['sessionLingerMs', { sessionLingerMs: 0.5 }],
      ['sessionOwner', { sessionOwner: 7 }],
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
