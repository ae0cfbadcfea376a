import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  connectRaw,
  startTcpProxy,
  startZooKeeper,
  waitFor,
  withDeadline,
  type ZooKeeper,
} from '@zk-lock/testkit';
import type zookeeper from '@zk-lock/node-zookeeper-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocks, type Leader, type Locks } from 'zk-lock';
import { monotonicNow, type FromCampaigner, type ToCampaigner } from './support/campaigner-protocol.js';
import { lockNodes } from './support/zookeeper.js';

/*
 * Leader election on a real 3-member ensemble, with five campaigner processes per test: a leader
 * killed, cut off by a silent partition, or stopped past its session timeout, and leaders that
 * resign. Every process stamps its events with CLOCK_MONOTONIC, one timeline for the machine.
 */

const SESSION_TIMEOUT = 4_000;
const CAMPAIGNERS = 5;
const PREFIX = `ensemble-${process.pid}`;
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const campaignerScript = fileURLToPath(new URL('./support/campaigner.ts', import.meta.url));

let zk: ZooKeeper;
let raw: zookeeper.Client;
let observerLocks: Locks;
const running: Campaigner[] = [];

class Campaigner {
  readonly events: FromCampaigner[] = [];
  readonly #waiters: Array<() => void> = [];
  readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.on('message', (message: FromCampaigner) => {
      this.events.push(message);
      for (const wake of this.#waiters.splice(0)) wake();
    });
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** The first event of `type`, once it has come. */
  async next<T extends FromCampaigner['type']>(type: T): Promise<Extract<FromCampaigner, { type: T }>> {
    for (;;) {
      const found = this.events.find((e) => e.type === type);
      if (found !== undefined) return found as Extract<FromCampaigner, { type: T }>;
      const failed = this.events.find((e) => e.type === 'failed');
      if (failed !== undefined) throw new Error(`${this.name}: ${JSON.stringify(failed)}`);
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  has(type: FromCampaigner['type']): boolean {
    return this.events.some((e) => e.type === type);
  }

  send(message: ToCampaigner): void {
    this.child.send(message);
  }

  campaign(key: string, connect = zk.connectString): void {
    this.send({
      type: 'campaign',
      connect,
      prefix: PREFIX,
      key,
      sessionTimeout: SESSION_TIMEOUT,
      value: this.name,
    });
  }
}

const spawnCampaigners = async (): Promise<Campaigner[]> => {
  const campaigners = Array.from({ length: CAMPAIGNERS }, (_, i) => {
    // From the repo root, tsx resolves the workspace packages to their sources (tsconfig paths).
    const child = fork(campaignerScript, [], { cwd: repo, execArgv: ['--import', 'tsx'], stdio: 'pipe' });
    const campaigner = new Campaigner(`c${i + 1}`, child);
    running.push(campaigner);
    return campaigner;
  });
  await Promise.all(campaigners.map((c) => c.next('ready')));
  return campaigners;
};

/** A step that must finish well within the test's timeout; fails naming it otherwise. */
const step = <T>(what: string, work: Promise<T>): Promise<T> => withDeadline(what, 30_000, work);

/** Whoever leads first among `among` (by its own timestamp), once someone does. */
const nextLeader = async (among: Campaigner[]): Promise<Campaigner> => {
  await step('a campaigner leads', Promise.race(among.map((c) => c.next('leading'))));
  const leading = among.filter((c) => c.has('leading'));
  leading.sort(
    (a, b) =>
      a.events.find((e) => e.type === 'leading')!.at! - b.events.find((e) => e.type === 'leading')!.at!,
  );
  return leading[0]!;
};

const leadingOf = (c: Campaigner) =>
  c.events.find((e) => e.type === 'leading') as Extract<FromCampaigner, { type: 'leading' }>;

/** Every report of an observation of `key` until it is closed. */
const observe = (key: string) => {
  const reports: Array<Leader | undefined> = [];
  const observation = observerLocks.observeLeader(key);
  const done = (async () => {
    for await (const leader of observation) reports.push(leader);
  })();
  return {
    reports,
    close: async () => {
      await observation.return?.();
      await done;
    },
  };
};

/** Waits until `key` has `count` lock nodes: every campaigner is in line. */
const inLine = (key: string, count: number) =>
  step(
    `${count} campaigners in line for ${key}`,
    waitFor(async () => (await lockNodes(raw, `/locks/${PREFIX}/${key}`)).length === count || undefined, {
      timeoutMs: 20_000,
      message: `${count} lock nodes under ${key}`,
    }),
  );

beforeAll(async () => {
  zk = await startZooKeeper({ servers: 3 });
  raw = await connectRaw(zk.connectString);
  observerLocks = createLocks({
    connect: zk.connectString,
    pathPrefix: PREFIX,
    sessionTimeout: SESSION_TIMEOUT,
  });
});
afterEach(async () => {
  for (const c of running.splice(0)) {
    c.child.kill('SIGCONT');
    c.child.kill('SIGKILL');
    await c.exited;
  }
});
afterAll(async () => {
  await observerLocks?.close();
  raw?.close();
  await zk?.close();
});

describe('leader election on a 3-member ensemble, five campaigner processes', () => {
  it('SIGKILL of the leader: a new leader within the session timeout + 1 s; resign() hands over at once; an observer sees every leader in order', async () => {
    const key = 'kill';
    const observer = observe(key);
    const campaigners = await spawnCampaigners();
    campaigners[0]!.campaign(key);
    const first = await nextLeader(campaigners);
    for (const c of campaigners.slice(1)) c.campaign(key);
    await inLine(key, CAMPAIGNERS);

    const killedAt = monotonicNow();
    first.child.kill('SIGKILL');
    const rest = campaigners.filter((c) => c !== first);
    const second = await nextLeader(rest);
    const failoverMs = leadingOf(second).at - killedAt;
    expect(failoverMs).toBeLessThanOrEqual(SESSION_TIMEOUT + 1_000);
    const handoversMs: number[] = [];

    // Each leader in turn resigns; the next one leads without waiting for any session to expire.
    const order = [first, second];
    let current = second;
    for (let waiting = rest.filter((c) => c !== second); waiting.length > 0;) {
      current.send({ type: 'resign' });
      const resigned = await step(`${current.name} resigns`, current.next('resigned'));
      const next = await nextLeader(waiting);
      handoversMs.push(leadingOf(next).at - resigned.at);
      expect(handoversMs.at(-1)).toBeLessThan(SESSION_TIMEOUT);
      order.push(next);
      waiting = waiting.filter((c) => c !== next);
      current = next;
    }
    current.send({ type: 'resign' });
    await step('the last leader resigns', current.next('resigned'));
    await step(
      'the observer sees nobody lead',
      waitFor(() => (observer.reports.at(-1) === undefined && observer.reports.length > 1) || undefined, {
        timeoutMs: 10_000,
      }),
    );
    await observer.close();
    console.log(
      `election: new leader ${failoverMs.toFixed(0)} ms after SIGKILL; handovers after resign: ` +
        handoversMs.map((ms) => ms.toFixed(1)).join(', ') +
        ' ms',
    );

    // Leaders in fencing-token order are leaders in the order they led.
    const tokens = order.map((c) => BigInt(leadingOf(c).token));
    expect([...tokens].sort((a, b) => (a < b ? -1 : 1))).toEqual(tokens);
    const seen = observer.reports.filter((r): r is Leader => r !== undefined);
    expect(seen.map((l) => l.fencingToken)).toEqual(tokens);
    expect(seen.map((l) => l.value)).toEqual(order.map((c) => c.name));
    expect(observer.reports.at(-1)).toBeUndefined();
  });

  it('a leader cut off by a silent partition hears lostSignal before any other process leads', async () => {
    const key = 'partition';
    const observer = observe(key);
    const proxies = await Promise.all(zk.members.map((m) => startTcpProxy({ target: m.address })));
    try {
      const campaigners = await spawnCampaigners();
      const [cutOff, ...rest] = campaigners as [Campaigner, ...Campaigner[]];
      cutOff.campaign(key, proxies.map((p) => p.address).join(','));
      expect(await nextLeader(campaigners)).toBe(cutOff);
      for (const c of rest) c.campaign(key);
      await inLine(key, CAMPAIGNERS);

      for (const proxy of proxies) proxy.blackhole();
      const lost = await step('the cut-off leader hears lost', cutOff.next('lost'));
      const next = await nextLeader(rest);
      expect(lost.at).toBeLessThan(leadingOf(next).at);
      console.log(
        `election: the cut-off leader heard lost ${(leadingOf(next).at - lost.at).toFixed(0)} ms before the next one led`,
      );
      expect(BigInt(leadingOf(next).token)).toBeGreaterThan(BigInt(leadingOf(cutOff).token));
      await step(
        'the observer sees the new leader',
        waitFor(() => observer.reports.some((r) => r?.node === leadingOf(next).node) || undefined, {
          timeoutMs: 10_000,
        }),
      );
    } finally {
      await Promise.all(proxies.map((p) => p.close()));
      await observer.close();
    }
    const seen = observer.reports.filter((r): r is Leader => r !== undefined).map((l) => l.value);
    expect(seen).toEqual([...new Set(seen)]);
  });

  it('a leader stopped past its session timeout learns of the loss on SIGCONT in its first callback, with the smaller token', async () => {
    const key = 'stop';
    const campaigners = await spawnCampaigners();
    campaigners[0]!.campaign(key);
    const stopped = await nextLeader(campaigners);
    const rest = campaigners.filter((c) => c !== stopped);
    for (const c of rest) c.campaign(key);
    await inLine(key, CAMPAIGNERS);

    stopped.child.kill('SIGSTOP');
    // Its session expires on the server, and the next campaigner leads, while it is stopped.
    const next = await nextLeader(rest);
    stopped.child.kill('SIGCONT');
    const resumed = await step('the stopped leader runs its work timer again', stopped.next('resumed'));
    const lost = await stopped.next('lost');
    expect(resumed.isLeading).toBe(false);
    expect(resumed.abortedAfterTick).toBe(true);
    expect(lost.at).toBeGreaterThan(leadingOf(next).at);
    expect(BigInt(leadingOf(stopped).token)).toBeLessThan(BigInt(leadingOf(next).token));
  });
});
