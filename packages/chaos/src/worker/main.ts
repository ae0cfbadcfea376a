import { appendFileSync } from 'node:fs';
import {
  createLocks,
  ZookeeperLock,
  ZookeeperLockNotLeaderError,
  ZookeeperLockTimeoutError,
  type Leadership,
} from 'zk-lock';
import { monotonicNow } from '../clock.js';
import { encodeEvent, type LockEvent, type WorkerEvent } from '../history.js';
import { createRng } from '../prng.js';
import {
  WORKER_CONFIG_ENV,
  type FromWorker,
  type KeySpec,
  type ToWorker,
  type WorkerConfig,
} from './protocol.js';

/**
 * A chaos worker: one process, one lock at a time, each lock on its own session
 * (`connectionPerLock`), contending with the other workers on a few keys; on an election key it
 * campaigns through the modern API instead (its pooled session). It logs every step to its history
 * file before acting on it, and mirrors each event to the runner over IPC.
 */

const config = JSON.parse(process.env[WORKER_CONFIG_ENV] ?? '') as WorkerConfig;
const rng = createRng(config.seed);
const send = (message: FromWorker): void => {
  if (process.connected) process.send?.(message);
};

const log = (event: LockEvent | WorkerEvent): void => {
  appendFileSync(config.historyFile, `${encodeEvent(event)}\n`);
  send({ type: 'event', event });
};

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let draining = false;
let pinRequest: { maxMs: number } | undefined;
let unpin: (() => void) | undefined;

process.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'pin':
      pinRequest = { maxMs: message.maxMs };
      break;
    case 'unpin':
      unpin?.();
      break;
    case 'stall': {
      log({ type: 'worker', ts: monotonicNow(), worker: config.id, event: 'stall', durationMs: message.ms });
      const until = monotonicNow() + message.ms;
      while (monotonicNow() < until) {
        // Busy: the event loop runs nothing else, like a process in a long GC pause.
      }
      break;
    }
    case 'drain':
      draining = true;
      break;
  }
});

let attempt = 0;

const baseEvent = (spec: KeySpec, drain: boolean) =>
  ({
    type: 'lock',
    worker: config.id,
    attempt,
    key: spec.key,
    kind: spec.kind,
    max: spec.max,
    drain,
  }) as const;

/**
 * How long a hold lasts: until the runner unpins it, if it asked to pin the next one (reported
 * with the session, so that a fault can be aimed at it), else a random time; or until `lost`.
 */
const hold = async (key: string, session: string, lost: Promise<void>): Promise<void> => {
  const pin = pinRequest;
  pinRequest = undefined;
  let holdFor: Promise<void>;
  if (pin !== undefined) {
    holdFor = Promise.race([new Promise<void>((resolve) => (unpin = resolve)), sleep(pin.maxMs)]);
    send({ type: 'pinned', key, session });
  } else {
    holdFor = sleep(rng.int(config.holdMs[0], config.holdMs[1]));
  }
  await Promise.race([holdFor, lost]);
  unpin = undefined;
};

/**
 * One campaign on an election key: wait to lead, lead (publishing a new value half way, a write
 * conditional on the node's version), resign; or learn the leadership was lost.
 */
const campaign = async (spec: KeySpec, drain: boolean): Promise<void> => {
  attempt += 1;
  const base = baseEvent(spec, drain);
  const locks = createLocks({
    connect: config.connectString,
    pathPrefix: config.pathPrefix,
    sessionTimeout: config.sessionTimeoutMs,
  });
  log({ ...base, ts: monotonicNow(), event: 'wait' });
  let leadership: Leadership;
  try {
    leadership = await locks.campaign(spec.key, {
      value: `${config.id}#${attempt}`,
      timeout: drain ? config.drainTimeoutMs : config.lockTimeoutMs,
    });
  } catch (error) {
    const timedOut = error instanceof ZookeeperLockTimeoutError;
    log({
      ...base,
      ts: monotonicNow(),
      event: timedOut ? 'timeout' : 'error',
      ...(timedOut ? {} : { error: `${(error as Error).name}: ${(error as Error).message}` }),
    });
    await locks.close();
    return;
  }
  // Registered before anything can yield: `lost` is logged the moment the leadership is.
  let leading = true;
  const lost = new Promise<void>((resolve) =>
    leadership.lostSignal.addEventListener(
      'abort',
      () => {
        if (!leading) return;
        leading = false;
        log({ ...base, ts: monotonicNow(), event: 'lost' });
        resolve();
      },
      { once: true },
    ),
  );
  log({
    ...base,
    ts: monotonicNow(),
    event: 'acquire',
    token: String(leadership.fencingToken),
    session: leadership.sessionId,
  });
  const proclaimed = leadership.proclaim(`${config.id}#${attempt} leading`).catch((error: Error) => {
    // Refused because the leadership is gone: expected under faults. Anything else is a finding.
    if (!(error instanceof ZookeeperLockNotLeaderError) || leading)
      process.stderr.write(`${config.id}#${attempt} proclaim: ${error.stack}\n`);
  });
  await hold(spec.key, leadership.sessionId, lost);
  await proclaimed;
  if (leading) {
    leading = false;
    log({ ...base, ts: monotonicNow(), event: 'release' });
    await leadership
      .resign()
      .catch((error: Error) => process.stderr.write(`${config.id}#${attempt} resign: ${error.stack}\n`));
  }
  await locks.close();
};

/** One lock attempt on `spec`: wait, and if acquired hold, then release (or learn it was lost). */
const cycle = async (spec: KeySpec, drain: boolean): Promise<void> => {
  if (spec.kind === 'election') return campaign(spec, drain);
  attempt += 1;
  const base = baseEvent(spec, drain);
  const lock = new ZookeeperLock({
    serverLocator: config.connectString,
    pathPrefix: config.pathPrefix,
    sessionTimeout: config.sessionTimeoutMs,
    maxConcurrentHolders: spec.max,
    connectionPerLock: true,
  });
  let holding = false;
  let lostNow: () => void = () => undefined;
  const lost = new Promise<void>((resolve) => (lostNow = resolve));
  lock.on('lost', () => {
    if (!holding) return;
    holding = false;
    log({ ...base, ts: monotonicNow(), event: 'lost' });
    lostNow();
  });

  log({ ...base, ts: monotonicNow(), event: 'wait' });
  try {
    await lock.lock(spec.key, drain ? config.drainTimeoutMs : config.lockTimeoutMs);
  } catch (error) {
    const timedOut = error instanceof ZookeeperLockTimeoutError;
    log({
      ...base,
      ts: monotonicNow(),
      event: timedOut ? 'timeout' : 'error',
      ...(timedOut ? {} : { error: `${(error as Error).name}: ${(error as Error).message}` }),
    });
    await lock.destroy().catch(() => undefined);
    return;
  }
  holding = true;
  const session = lock.client?.getSessionId().toString('hex') ?? '';
  log({ ...base, ts: monotonicNow(), event: 'acquire', token: String(lock.fencingToken), session });

  await hold(spec.key, session, lost);

  if (holding) {
    holding = false;
    log({ ...base, ts: monotonicNow(), event: 'release' });
    await lock
      .unlock()
      .catch((error: Error) => process.stderr.write(`${config.id}#${attempt} unlock: ${error.stack}\n`));
  } else {
    await lock.destroy().catch(() => undefined);
  }
};

const main = async (): Promise<void> => {
  log({ type: 'worker', ts: monotonicNow(), worker: config.id, event: 'spawned' });
  while (!draining) {
    await cycle(rng.pick(config.keys), false);
    await sleep(rng.int(config.thinkMs[0], config.thinkMs[1]));
  }
  for (const spec of config.keys) await cycle(spec, true);
  log({ type: 'worker', ts: monotonicNow(), worker: config.id, event: 'exited' });
  process.disconnect?.();
};

void main();
