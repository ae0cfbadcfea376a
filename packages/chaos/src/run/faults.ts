import type { ZooKeeper, ZooKeeperMember } from '@zk-lock/testkit';
import { connectRaw, waitFor } from '@zk-lock/testkit';
import zookeeper from '@zk-lock/node-zookeeper-client';
import { normalizeSessionId } from '../check/index.js';
import { monotonicNow } from '../clock.js';
import type { FaultEvent, FaultType } from '../history.js';
import type { PlannedFault } from '../schedule.js';
import type { KeySpec } from '../worker/protocol.js';
import { sessionsInCons } from './cons.js';
import type { WorkerPool } from './worker-pool.js';
import { zkCode } from './zk-errors.js';

export interface FaultContext {
  readonly zk: ZooKeeper;
  readonly pool: WorkerPool;
  readonly keys: ReadonlyArray<KeySpec>;
  /** The lock parent of a key, e.g. `/locks/chaos/k0`. */
  readonly parentOf: (key: string) => string;
  readonly record: (event: FaultEvent) => void;
  readonly say: (line: string) => void;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const SERVING = ['leader', 'follower', 'standalone'];

/** Waits (bounded) until every member serves again: the ensemble has healed. */
export const awaitEnsembleServing = (zk: ZooKeeper): Promise<true> =>
  waitFor(
    async () => (await Promise.all(zk.members.map((m) => m.mode()))).every((mode) => SERVING.includes(mode)),
    {
      timeoutMs: 60_000,
      intervalMs: 100,
      message: 'every member serving',
    },
  );

const memberName = (member: ZooKeeperMember): string => `zk${member.id}`;

/** The member whose `cons` lists the session, if any answers. */
const memberServing = async (zk: ZooKeeper, session: string): Promise<ZooKeeperMember | undefined> => {
  const wanted = normalizeSessionId(session);
  for (const member of zk.members) {
    const cons = await member.fourLetter('cons').catch(() => '');
    if (sessionsInCons(cons).includes(wanted)) return member;
  }
  return undefined;
};

const removeIfEmpty = (client: zookeeper.Client, path: string): Promise<'removed' | 'busy' | 'absent'> =>
  new Promise((resolve, reject) =>
    client.remove(path, -1, (error) => {
      if (!error) resolve('removed');
      else if (zkCode(error) === zookeeper.Exception.NOT_EMPTY) resolve('busy');
      else if (zkCode(error) === zookeeper.Exception.NO_NODE) resolve('absent');
      else reject(error);
    }),
  );

type Injector = (
  ctx: FaultContext,
  fault: PlannedFault,
  mark: (phase: FaultEvent['phase'], target: string) => void,
) => Promise<void>;

const injectors: Record<FaultType, Injector> = {
  /** kill -9 of the leader; after a while it restarts and rejoins as a follower. */
  'leader-kill': async ({ zk }, fault, mark) => {
    const leader = await zk.leader();
    await leader.kill();
    mark('inject', memberName(leader));
    await sleep(fault.durationMs);
    await leader.start();
    mark('heal', memberName(leader));
  },

  /** SIGSTOP of a follower: its clients hear nothing until it resumes. */
  'follower-pause': async ({ zk }, fault, mark) => {
    const leader = await zk.leader();
    const followers = zk.members.filter((m) => m !== leader);
    const follower = followers[fault.choice % followers.length]!;
    follower.pause();
    mark('inject', memberName(follower));
    await sleep(fault.durationMs);
    follower.resume();
    mark('heal', memberName(follower));
  },

  /**
   * SIGSTOP, for longer than the session timeout, of the member a holder is connected to (found
   * with `cons`): the holder hears nothing, and its session expires.
   */
  'member-pause-expiry': async ({ zk, pool, say }, fault, mark) => {
    const pinned = await pool.pin(fault.choice, fault.durationMs + 10_000);
    const member = await memberServing(zk, pinned.session);
    if (member === undefined) {
      pool.unpin(pinned.worker);
      say(`  ${pinned.worker}'s session ${pinned.session} is on no member's cons; fault skipped`);
      return;
    }
    member.pause();
    mark(
      'inject',
      `${memberName(member)} serving ${pinned.worker} (session ${pinned.session}, ${pinned.key})`,
    );
    await sleep(fault.durationMs);
    member.resume();
    mark('heal', memberName(member));
    pool.unpin(pinned.worker);
  },

  /** A holder's event loop blocked beyond the session timeout (a long GC pause). */
  'worker-stall': async ({ pool }, fault, mark) => {
    const pinned = await pool.pin(fault.choice, fault.durationMs + 10_000);
    pool.stall(pinned.worker, fault.durationMs);
    mark('inject', `${pinned.worker} holding ${pinned.key}`);
    await sleep(fault.durationMs);
    mark('heal', pinned.worker);
    // Once it runs again it keeps the hold a little longer, as an application that did not look
    // at the lock would; it must hear `lost` before it lets go.
    await sleep(1_000);
    pool.unpin(pinned.worker);
  },

  /** kill -9 of a holder; a new incarnation takes its place. Its node goes when its session expires. */
  'worker-kill': async ({ pool }, fault, mark) => {
    const pinned = await pool.pin(fault.choice, 60_000);
    mark('inject', `${pinned.worker} holding ${pinned.key}`);
    await pool.kill(pinned.worker);
    mark('heal', `${pinned.worker} respawned`);
  },

  /**
   * Deletes a key's lock parent the moment it is empty; the next locker re-creates it, with a new
   * czxid and a sequence counter back at 0 — fencing tokens must still grow.
   */
  'parent-recreate': async ({ zk, keys, parentOf, say }, fault, mark) => {
    const key = keys[fault.choice % keys.length]!.key;
    const path = parentOf(key);
    const client = await connectRaw(zk.connectString);
    try {
      const deadline = monotonicNow() + fault.durationMs;
      while (monotonicNow() < deadline) {
        if ((await removeIfEmpty(client, path)) === 'removed') {
          mark('inject', path);
          mark('heal', path);
          return;
        }
      }
      say(`  ${path} was never empty within ${fault.durationMs} ms; fault skipped`);
    } finally {
      client.close();
    }
  },
};

/** Injects one planned fault and heals it; records both moments in the runner's history. */
export const injectFault = async (ctx: FaultContext, fault: PlannedFault): Promise<void> => {
  const mark = (phase: FaultEvent['phase'], target: string): void => {
    ctx.record({ type: 'fault', ts: monotonicNow(), fault: fault.type, phase, target });
    if (phase === 'inject') ctx.say(`  ${fault.type} → ${target} (${fault.durationMs} ms)`);
  };
  await injectors[fault.type](ctx, fault, mark);
  await awaitEnsembleServing(ctx.zk);
};
