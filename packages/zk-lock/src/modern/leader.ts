import { decodeOwnerData, type ObservedLeader, type OwnerData } from '@zk-lock/core';
import * as O from 'fp-ts/lib/Option.js';

/** The leader of an election as `Locks.leader` and `Locks.observeLeader` report it. */
export interface Leader {
  /** The election's key as passed. */
  readonly key: string;
  /** The leader's node, e.g. `lock-0000000042`. */
  readonly node: string;
  /** The node's full path, e.g. `/locks/jobs/scheduler/lock-0000000042`. */
  readonly path: string;
  readonly sequence: number;
  /** The same token the leader's own handle carries: larger for every later leader of the key. */
  readonly fencingToken: bigint;
  /** What the leader published (`campaign`'s `value`, or its latest `proclaim`); `undefined` if nothing. */
  readonly value: string | undefined;
  /** Host, pid, lock id and creation time of the leader; `undefined` for zk-lock 2.x and foreign nodes. */
  readonly owner: OwnerData | undefined;
}

export const leaderFrom = (key: string, parentPath: string, observed: ObservedLeader): Leader => {
  const owner = O.toUndefined(decodeOwnerData(observed.data));
  return {
    key,
    node: observed.node,
    path: `${parentPath}/${observed.node}`,
    sequence: observed.sequence,
    fencingToken: observed.fencingToken,
    value: owner?.value,
    owner,
  };
};
