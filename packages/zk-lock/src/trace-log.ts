import { debuglog } from 'node:util';

/** zk-lock's debug log, shown with `NODE_DEBUG=zk-lock` (as 2.x). */
export const log = debuglog('zk-lock');

export interface TraceLogSubject {
  /** e.g. `/locks/foo/lock-0000000003`. */
  describe(): string;
  state(): string;
  held(): boolean;
}

export interface TraceLogTiming {
  readonly refreshMs: number;
  /** Before this age, report plainly; after it, a held lock is "long held", anything else "a potential leak". */
  readonly quietPeriodMs: number;
}

/**
 * The 2.x trace log: while a lock keeps a ZooKeeper session, report on it every `refreshMs` and
 * warn about locks held for long and connections left open without a lock. The timer never keeps
 * the process alive. Returns the function that stops it.
 */
export const startTraceLog = (subject: TraceLogSubject, timing: TraceLogTiming): (() => void) => {
  const since = Date.now();
  const timer = setInterval(() => {
    const age = Date.now() - since;
    const seconds = age / 1000;
    if (age <= timing.quietPeriodMs) {
      log('%s alive and %s for %d ms', subject.describe(), subject.state(), age);
    } else if (subject.held()) {
      log('long held lock (%d sec) detected %s', seconds, subject.describe());
    } else {
      log(
        'potential leak detected, connection is open, but in state %s for %d sec on %s',
        subject.state(),
        seconds,
        subject.describe(),
      );
    }
  }, timing.refreshMs);
  timer.unref();
  return () => clearInterval(timer);
};
