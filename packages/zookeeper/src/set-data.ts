import { zkFailure, type ZkFailure } from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import zookeeper from 'node-zookeeper-client';
import { toZkFailure } from './failure.js';
import { endedFailure } from './session-ended.js';
import type { ZkSession } from './session.js';
import { toNodeStat, type NodeStat } from './stat.js';

const isBadVersion = (error: unknown): boolean =>
  error instanceof zookeeper.Exception && error.getCode() === zookeeper.Exception.BAD_VERSION;

/**
 * Replaces the data of `path` only if its version is still `version`, and resolves with the new
 * Stat; a node of another version fails with `BAD_VERSION` and is left as it was. (`ZkSession` has
 * no `setData`: this sends the client's own on the session's connection, answered in order with
 * the session's other requests.)
 */
export const setDataAtVersion = (
  session: ZkSession,
  path: string,
  data: string,
  version: number,
): TE.TaskEither<ZkFailure, NodeStat> => {
  return () =>
    new Promise((resolve) => {
      const ended = endedFailure(session, path);
      if (ended !== undefined) {
        resolve(E.left(ended));
        return;
      }
      try {
        session.client.setData(path, Buffer.from(data, 'utf8'), version, (error, stat) => {
          if (isBadVersion(error))
            resolve(E.left(zkFailure('BAD_VERSION', `${path} is not at version ${version}`, path)));
          else resolve(error ? E.left(toZkFailure(error, path)) : E.right(toNodeStat(stat)));
        });
      } catch (error) {
        resolve(E.left(toZkFailure(error, path)));
      }
    });
};
