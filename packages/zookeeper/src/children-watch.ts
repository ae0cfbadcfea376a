import type { ZkFailure } from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import type * as TE from 'fp-ts/lib/TaskEither.js';
import zookeeper from 'node-zookeeper-client';
import { toZkFailure } from './failure.js';
import { endedFailure } from './session-ended.js';
import type { Children, Watcher, WatchEventType, ZkSession } from './session.js';
import { toNodeStat } from './stat.js';

/** What a child watch reports: the parent's children changed, or the parent itself was deleted. */
const CHILD_WATCH_EVENTS: ReadonlyMap<number, WatchEventType> = new Map([
  [zookeeper.Event.NODE_CHILDREN_CHANGED, 'childrenChanged'],
  [zookeeper.Event.NODE_DELETED, 'deleted'],
]);

/**
 * The children of `path`, leaving a child watch that calls `onChange` once when they change next
 * (or `path` is deleted). `ZkSession.getChildren` sets no watch; this sends the client's own
 * `getChildren` on the session's connection, so it is answered in order with the session's other
 * requests. Its answer is not evidence for the session's liveness clock, which its other requests
 * and pings keep. The watch calls nothing once the session has ended.
 */
export const listChildrenWatched = (
  session: ZkSession,
  path: string,
  onChange: Watcher,
): TE.TaskEither<ZkFailure, Children> => {
  const watcher = (event: zookeeper.Event): void => {
    const type = CHILD_WATCH_EVENTS.get(event.getType());
    if (type !== undefined && endedFailure(session, path) === undefined)
      onChange({ type, path: event.getPath() });
  };
  return () =>
    new Promise((resolve) => {
      const ended = endedFailure(session, path);
      if (ended !== undefined) {
        resolve(E.left(ended));
        return;
      }
      try {
        session.client.getChildren(path, watcher, (error, children, stat) =>
          resolve(error ? E.left(toZkFailure(error, path)) : E.right({ children, stat: toNodeStat(stat) })),
        );
      } catch (error) {
        resolve(E.left(toZkFailure(error, path)));
      }
    });
};
