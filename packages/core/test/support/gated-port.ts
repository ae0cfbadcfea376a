import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { zkFailure, type LockPort, type WatchReport, type ZkErrorCode, type ZkFailure } from '@zk-lock/core';
import type { PortMethod } from './fake-zookeeper.js';

/**
 * A `LockPort` whose requests wait until the test decides their fate: `perform()` runs the request
 * on the inner port (the fake store) and delivers its reply; `fail(code, applied)` delivers a
 * failure, after running the request when `applied` (a reply lost after the server applied it).
 */
export interface PendingCall {
  readonly method: PortMethod;
  settled: boolean;
  perform(): void;
  fail(code: ZkErrorCode, applied?: boolean): void;
}

export const gatedPort = (inner: LockPort) => {
  const pending: PendingCall[] = [];
  /** The callback of the last deletion watch armed, so that a test can make the watch lapse. */
  let lastWatch: ((report: WatchReport) => void) | undefined;

  const gate =
    <Args extends unknown[], A>(
      method: PortMethod,
      call: (...args: Args) => () => Promise<E.Either<ZkFailure, A>>,
    ) =>
    (...args: Args) =>
    () =>
      new Promise<E.Either<ZkFailure, A>>((resolve) => {
        const entry: PendingCall = {
          method,
          settled: false,
          perform: () => {
            entry.settled = true;
            void call(...args)().then(resolve);
          },
          fail: (code, applied = false) => {
            entry.settled = true;
            const reply = E.left(zkFailure(code, `injected ${code}`));
            if (applied) void call(...args)().then(() => resolve(reply));
            else resolve(reply);
          },
        };
        pending.push(entry);
      });

  const port: LockPort = {
    connect: gate('connect', inner.connect),
    connectNow: () => O.none,
    createSequential: gate('createSequential', inner.createSequential),
    createSequentialAndList: gate('createSequentialAndList', inner.createSequentialAndList),
    createParents: gate('createParents', inner.createParents),
    listChildren: gate('listChildren', inner.listChildren),
    listChildrenWithOwners: gate('listChildrenWithOwners', inner.listChildrenWithOwners),
    watchDeletion: gate(
      'watchDeletion',
      (paths: ReadonlyArray<string>, onReport: (r: WatchReport) => void) => {
        lastWatch = onReport;
        return inner.watchDeletion(paths, onReport);
      },
    ),
    remove: gate('remove', inner.remove),
    subscribe: inner.subscribe,
    disconnect: inner.disconnect,
    parentHint: inner.parentHint,
  };

  /** The newest unsettled request of `method` (older ones belong to states the machine has left). */
  const next = (method: PortMethod): PendingCall => {
    const call = [...pending].reverse().find((p) => p.method === method && !p.settled);
    if (call === undefined) throw new Error(`no pending ${method} request`);
    return call;
  };

  /** The oldest unsettled request of `method` (one a state the machine left may have sent). */
  const oldest = (method: PortMethod): PendingCall => {
    const call = pending.find((p) => p.method === method && !p.settled);
    if (call === undefined) throw new Error(`no pending ${method} request`);
    return call;
  };

  /** The last armed deletion watch reports `Lapsed` (a data change it could not re-arm after). */
  const lapseWatch = (): void => lastWatch?.({ _tag: 'Lapsed' });

  return { port, next, oldest, lapseWatch };
};
