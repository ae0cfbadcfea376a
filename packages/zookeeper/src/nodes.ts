import type { ZkFailure } from '@zk-lock/core';
import { pipe } from 'fp-ts/lib/function.js';
import * as O from 'fp-ts/lib/Option.js';
import * as RA from 'fp-ts/lib/ReadonlyArray.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { ZkSession } from './session.js';

/** A child node with what a lock needs to know about it. */
export interface ChildNode {
  readonly name: string;
  /** The node's data as UTF-8. */
  readonly data: string;
  readonly czxid: bigint;
  /** 16 lowercase hex digits; `0000000000000000` for a persistent node. */
  readonly ephemeralOwner: string;
}

/**
 * The children of `parent` with their data and Stat: one listing, then every child's data in
 * parallel (pipelined on the one connection). A child deleted in between is left out.
 */
export const childNodes = (
  session: ZkSession,
  parent: string,
): TE.TaskEither<ZkFailure, ReadonlyArray<ChildNode>> =>
  pipe(
    session.getChildren(parent),
    TE.chain(({ children }) =>
      TE.traverseArray((name: string) =>
        pipe(
          session.getData(`${parent === '/' ? '' : parent}/${name}`),
          TE.map(({ data, stat }) =>
            O.some({
              name,
              data: data.toString('utf8'),
              czxid: stat.czxid,
              ephemeralOwner: stat.ephemeralOwner,
            }),
          ),
          TE.orElse((failure) => (failure.code === 'NO_NODE' ? TE.right(O.none) : TE.left(failure))),
        ),
      )(children),
    ),
    TE.map(RA.compact),
  );
