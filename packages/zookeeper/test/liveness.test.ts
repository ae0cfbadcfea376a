import { startZooKeeper, type ZooKeeper, type ZooKeeperMember } from '@zk-lock/testkit';
import { ZkSession, resolveServers, type SessionSettings } from '@zk-lock/zookeeper';
import * as O from 'fp-ts/lib/Option.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leftOf, rightOf } from './support/expect-either.js';
import { packetsReceived, recordEvents } from './support/zookeeper.js';

let zk: ZooKeeper;
let member: ZooKeeperMember;

const open = async (sessionTimeout: number): Promise<ZkSession> =>
  rightOf(
    await ZkSession.open(rightOf(await resolveServers(zk.connectString)()), {
      sessionTimeout,
      spinDelay: 100,
      auth: [],
      connectTimeoutMs: 10_000,
    } satisfies SessionSettings)(),
  );

const busyFor = (ms: number): void => {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Deliberately blocking the event loop, as a long GC pause or a CPU-bound task would.
  }
};

beforeAll(async () => {
  zk = await startZooKeeper();
  member = zk.members[0] as ZooKeeperMember;
});

afterAll(async () => {
  await zk?.close();
});

describe('the liveness clock', () => {
  it('server paused beyond the session timeout: suspended, then lost within timeout + 1 s of the last answer, before any reconnect', async () => {
    const timeout = 3_000;
    const session = await open(timeout);
    const events = recordEvents(session);
    rightOf(await session.exists('/')());
    member.pause();
    try {
      const lost = await events.first('lost');
      const suspended = events.events.find(({ event }) => event.type === 'suspended');
      expect(events.types()).toEqual(['suspended', 'lost']);
      expect(lost.event).toEqual({ type: 'lost', reason: 'timeout' });
      // Raised on time: one timeout after the confirmed evidence, not before ...
      expect(suspended?.at ?? 0).toBeGreaterThanOrEqual(session.confirmedAliveAt + (timeout * 2) / 3);
      expect(lost.at).toBeGreaterThanOrEqual(session.confirmedAliveAt + timeout);
      // ... and within a timeout + 1 s of the last answered request (in fact within a timeout of it).
      expect(lost.at).toBeLessThanOrEqual(session.lastAnsweredSentAt + timeout + 1_000);
      expect(session.state).toBe('lost');
      expect(leftOf(await session.exists('/')()).code).toBe('SESSION_EXPIRED');
    } finally {
      member.resume();
    }
    expect(events.types()).toEqual(['suspended', 'lost']); // never `reconnected` afterwards
  });

  it('server stopped and restarted within the session timeout: suspended, then reconnected, no lost', async () => {
    const session = await open(20_000);
    const events = recordEvents(session);
    rightOf(await session.create('/liveness-ephemeral', { mode: 'ephemeral' })());
    await member.stop();
    try {
      const suspended = await events.first('suspended');
      expect(suspended.event.type === 'suspended' && suspended.event.lostInMs).toBeGreaterThan(0);
      expect(suspended.event.type === 'suspended' && suspended.event.lostInMs).toBeLessThanOrEqual(20_000);
    } finally {
      await member.start();
    }
    await Promise.race([events.first('reconnected'), events.first('lost')]);
    expect(events.types()).toEqual(['suspended', 'reconnected']);
    expect(session.state).toBe('live');
    // Still the same session: its ephemeral node survived.
    const stat = rightOf(await session.exists('/liveness-ephemeral')());
    expect(O.isSome(stat) && stat.value.ephemeralOwner).toBe(session.sessionId);
    await session.close();
  });

  it('event loop blocked beyond the session timeout: lost, before the stale reply is delivered', async () => {
    const timeout = 2_000;
    const session = await open(timeout);
    const order: string[] = [];
    session.subscribe((event) => order.push(event.type === 'lost' ? `lost (${event.reason})` : event.type));
    const stale = session
      .exists('/')()
      .then((result) => {
        order.push('reply');
        return result;
      });
    busyFor(timeout + 500);
    expect(leftOf(await stale).code).toBe('SESSION_EXPIRED');
    expect(order).toEqual(['lost (timeout)', 'reply']);
    expect(session.state).toBe('lost');
  });

  it('an idle session pings: it stays live beyond its timeout', async () => {
    const timeout = 3_000;
    const session = await open(timeout);
    const events = recordEvents(session);
    const before = await packetsReceived(zk);
    // A span of time with nothing to wait for: the assertion is that nothing happens in it.
    await new Promise((resolve) => setTimeout(resolve, timeout * 1.5));
    expect(events.types()).toEqual([]);
    expect(session.state).toBe('live');
    expect((await packetsReceived(zk)) - before).toBeGreaterThanOrEqual(3); // about one ping per third
    await session.close();
  });
});
