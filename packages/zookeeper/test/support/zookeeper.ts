import type { ConnectionEvent } from '@zk-lock/core';
import type { ZooKeeper, ZooKeeperMember } from '@zk-lock/testkit';
import type { ZkSession } from '@zk-lock/zookeeper';

const member = (zk: ZooKeeper): ZooKeeperMember => zk.members[0] as ZooKeeperMember;

/** Client sessions the server holds connections for (the `cons` request's own connection has none). */
export const sessionsOnServer = async (zk: ZooKeeper): Promise<number> =>
  (await zk.fourLetter(member(zk), 'cons')).split('\n').filter((line) => line.includes('sid=0x')).length;

/** The server's `zk_packets_received` counter. */
export const packetsReceived = async (zk: ZooKeeper): Promise<number> => {
  const match = /zk_packets_received\s+(\d+)/.exec(await zk.fourLetter(member(zk), 'mntr'));
  if (match === null) throw new Error('mntr has no zk_packets_received');
  return Number(match[1]);
};

export interface RecordedEvent {
  readonly event: ConnectionEvent;
  /** `performance.now()` when the listener ran. */
  readonly at: number;
}

/**
 * Records a session's connection events. `first(type)` resolves with the first event of that type,
 * whether it already happened or is still to come.
 */
export const recordEvents = (session: ZkSession) => {
  const events: RecordedEvent[] = [];
  const waiters: Array<{ type: ConnectionEvent['type']; resolve: (recorded: RecordedEvent) => void }> = [];
  session.subscribe((event) => {
    const recorded = { event, at: performance.now() };
    events.push(recorded);
    for (const waiter of waiters.filter((w) => w.type === event.type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(recorded);
    }
  });
  return {
    events,
    types: (): ReadonlyArray<string> => events.map(({ event }) => event.type),
    first: (type: ConnectionEvent['type']): Promise<RecordedEvent> => {
      const seen = events.find(({ event }) => event.type === type);
      return seen !== undefined
        ? Promise.resolve(seen)
        : new Promise((resolve) => waiters.push({ type, resolve }));
    },
  };
};
