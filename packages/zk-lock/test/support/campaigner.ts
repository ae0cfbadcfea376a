/**
 * One campaigner process of election-ensemble.test.ts, forked with an IPC channel: campaigns when
 * told, reports when it leads, loses, resigns, and runs a work timer while leading, as a leader
 * would, that reports the first tick after the process was stopped and continued.
 */
import { createLocks, type Leadership } from 'zk-lock';
import { monotonicNow, type FromCampaigner, type ToCampaigner } from './campaigner-protocol.js';

const send = (message: FromCampaigner): void => {
  if (process.connected) process.send?.(message);
};

/** A gap this long between two 10 ms ticks means the process did not run. */
const PAUSE_MS = 1_000;

let leadership: Leadership | undefined;

const lead = (current: Leadership): void => {
  leadership = current;
  send({ type: 'leading', at: monotonicNow(), node: current.node, token: String(current.fencingToken) });
  current.lostSignal.addEventListener('abort', () => send({ type: 'lost', at: monotonicNow() }), {
    once: true,
  });
  let last = monotonicNow();
  const work = setInterval(() => {
    const now = monotonicNow();
    if (now - last >= PAUSE_MS) {
      const isLeading = current.isLeading;
      // Runs right after this callback, before any other: the loss is declared by then.
      queueMicrotask(() =>
        send({ type: 'resumed', at: now, isLeading, abortedAfterTick: current.lostSignal.aborted }),
      );
    }
    if (now - last >= PAUSE_MS || current.lostSignal.aborted || leadership !== current) clearInterval(work);
    last = now;
  }, 10);
};

process.on('message', (message: ToCampaigner) => {
  if (message.type === 'resign') {
    const resigning = leadership;
    leadership = undefined;
    void resigning?.resign().then(() => send({ type: 'resigned', at: monotonicNow() }));
    return;
  }
  const locks = createLocks({
    connect: message.connect,
    pathPrefix: message.prefix,
    sessionTimeout: message.sessionTimeout,
  });
  locks
    .campaign(message.key, { value: message.value })
    .then(lead, (error: Error) => send({ type: 'failed', error: `${error.name}: ${error.message}` }));
});

// The test ends every campaigner; one whose test died must not linger.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });
