import { fencingToken, leaderOf, type LockConfig, type ObservedLeader, type ZkFailure } from '@zk-lock/core';
import type { ZkSession } from '@zk-lock/zookeeper';
import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import { read } from '../sessions.js';
import { leaderFrom, type Leader } from './leader.js';

/**
 * The leader now: a listing names it and a read of its node gets its value. A leader that leaves
 * between the two makes the read fail with NO_NODE; the listing is taken again, since its
 * successor (or nobody) leads by then.
 */
const readLeader =
  (session: ZkSession, parentPath: string): TE.TaskEither<ZkFailure, ObservedLeader | undefined> =>
  async () => {
    for (;;) {
      const listing = await session.getChildren(parentPath)();
      if (E.isLeft(listing)) return listing;
      const head = leaderOf(listing.right.children);
      if (O.isNone(head)) return E.right(undefined);
      const node = await session.getData(`${parentPath}/${head.value.name}`)();
      if (E.isLeft(node) && node.left.code === 'NO_NODE') continue;
      if (E.isLeft(node)) return node;
      return E.right({
        node: head.value.name,
        sequence: head.value.sequence,
        fencingToken: fencingToken(listing.right.stat.czxid, head.value.sequence),
        data: node.right.data.toString('utf8'),
      });
    }
  };

/** The current leader of the election on `parentPath`, or `undefined` when nobody leads. */
export const queryLeader = async (
  config: LockConfig,
  key: string,
  parentPath: string,
): Promise<Leader | undefined> => {
  const observed = await read(config, parentPath, (session) => readLeader(session, parentPath), undefined);
  return observed === undefined ? undefined : leaderFrom(key, parentPath, observed);
};
