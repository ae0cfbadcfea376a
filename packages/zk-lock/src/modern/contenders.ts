import {
  decide,
  decideReadWrite,
  decodeOwnerData,
  participants,
  READ_PREFIX,
  type OwnerData,
  type ParticipantRole,
} from '@zk-lock/core';
import * as O from 'fp-ts/lib/Option.js';

/** Who holds a lock and who waits for it, as `Locks.contenders` reports them. */

export type { OwnerData };

/** One lock node as read from ZooKeeper. */
export interface LockNode {
  readonly name: string;
  readonly data: string;
  readonly czxid: bigint;
}

export interface Contender {
  /** `holder`s come first, then `waiter`s, each in queue order. */
  readonly role: 'holder' | 'waiter';
  /** The node's name, e.g. `lock-0000000007`. */
  readonly node: string;
  /** `lock`: an exclusive locker, a semaphore holder or a writer (`lock-`); `read`: a reader (`read-`). */
  readonly kind: ParticipantRole;
  readonly sequence: number;
  /** The zxid of the node's creation: a cluster-wide order of all creates. */
  readonly czxid: bigint;
  /**
   * The owner the node's data names (hostname, pid, lock id, creation time), or `undefined` for an
   * unknown owner: zk-lock 2.x nodes (data `lock`) and anything foreign.
   */
  readonly owner: OwnerData | undefined;
}

/**
 * Classifies the participants among `nodes`. With readers present the read/write rule decides;
 * otherwise the mutex/semaphore rule with `maxHolders` slots (a writer is a mutex locker).
 * Holders are always a prefix of the queue under both rules.
 */
export const classifyContenders = (
  nodes: ReadonlyArray<LockNode>,
  maxHolders: number,
): ReadonlyArray<Contender> => {
  const byName = new Map(nodes.map((node) => [node.name, node]));
  const names = nodes.map((node) => node.name);
  const readWrite = names.some((name) => name.startsWith(READ_PREFIX));
  return participants(names).map((participant) => {
    const node = byName.get(participant.name) as LockNode;
    const decision = readWrite ? decideReadWrite(names, node.name) : decide(names, node.name, maxHolders);
    return {
      role: decision._tag === 'Held' ? 'holder' : 'waiter',
      node: node.name,
      kind: participant.role,
      sequence: participant.sequence,
      czxid: node.czxid,
      owner: O.toUndefined(decodeOwnerData(node.data)),
    };
  });
};
