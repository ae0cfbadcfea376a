import type { WatchReport } from '../port.js';
import type { InternalEvent, LockContext, WatchEffect } from './types.js';

/**
 * The deletion watch of `waiting`: the entry action `armWatch` carries what to watch as its params
 * (`watchEffect`), the exit action `disarmWatch` lets go of it. The shell arms it with
 * `LockPort.watchDeletion` and hands each report to the machine as `WATCH.FIRED` (`watchEvent`),
 * a failure to arm as `WATCH.FAILED`; nothing once the state is left (see `LockEffects`).
 */

/**
 * The child names `decide` told us to watch, as paths. A countdown also watches our own node: it
 * takes the lock without listing again, so this is how it still notices the node deleted behind
 * its back (its deletion is no count; the machine lists again and finds it missing).
 */
export const watchEffect = (context: LockContext): WatchEffect => {
  const { decision, nodePath } = context;
  const { parentPath } = context.attempt;
  if (decision?._tag !== 'Wait') return { paths: [], parentPath };
  const ahead = decision.watch.map((name) => `${parentPath}/${name}`);
  return { paths: decision.countdown && nodePath !== undefined ? [...ahead, nodePath] : ahead, parentPath };
};

/** A watch report as the machine's event: the deleted child by name, or none when the watch lapsed. */
export const watchEvent = (effect: WatchEffect, report: WatchReport): InternalEvent => {
  const prefix = `${effect.parentPath}/`;
  return report._tag === 'Deleted' && report.path.startsWith(prefix)
    ? { type: 'WATCH.FIRED', deleted: report.path.slice(prefix.length) }
    : { type: 'WATCH.FIRED' };
};
