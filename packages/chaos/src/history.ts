import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';

/**
 * The chaos history: one JSON object per line, written by workers (lock and worker events) and by
 * the runner (faults, phases, kills). Every `ts` is milliseconds on the machine's monotonic clock
 * (`CLOCK_MONOTONIC`, read through `process.hrtime`), which every process on one machine shares,
 * so events of different workers compare directly and no wall-clock jump can reorder them.
 */

/** `election`: a campaign through the modern API's `campaign`; its hold is a leadership. */
export type LockKind = 'mutex' | 'semaphore' | 'election';

/** What happened to one lock attempt: `wait` starts it, the others end it or its hold. */
export type LockEventName = 'wait' | 'acquire' | 'release' | 'lost' | 'timeout' | 'error';

export interface LockEvent {
  readonly type: 'lock';
  readonly ts: number;
  /** `w<slot>.<incarnation>`: a respawned worker is a new incarnation with a new id. */
  readonly worker: string;
  /** Counts this worker's attempts; links an attempt's wait, acquire and release or lost. */
  readonly attempt: number;
  readonly key: string;
  readonly kind: LockKind;
  /** 1 for a mutex, the semaphore's maxConcurrentHolders otherwise. */
  readonly max: number;
  readonly event: LockEventName;
  /** True for the attempts made after faults healed, with a timeout far above any contention. */
  readonly drain: boolean;
  /** The fencing token as a decimal string (`acquire` only). */
  readonly token?: string;
  /** The session id as 16 hex digits (`acquire` only). */
  readonly session?: string;
  /** The error's name and message (`error` only). */
  readonly error?: string;
}

/**
 * A worker's life: `stall` is a blocked event loop of `durationMs`; `killed` is a SIGKILL by the
 * runner; `crashed` is any other death (`detail` says how), always a finding.
 */
export interface WorkerEvent {
  readonly type: 'worker';
  readonly ts: number;
  readonly worker: string;
  readonly event: 'spawned' | 'stall' | 'killed' | 'exited' | 'crashed';
  readonly durationMs?: number;
  readonly detail?: string;
}

export const faultTypes = [
  'leader-kill',
  'follower-pause',
  'member-pause-expiry',
  'worker-stall',
  'worker-kill',
  'parent-recreate',
] as const;
export type FaultType = (typeof faultTypes)[number];

/** A fault the runner injected (`inject`) and undid (`heal`); `target` names the member, worker or path. */
export interface FaultEvent {
  readonly type: 'fault';
  readonly ts: number;
  readonly fault: FaultType;
  readonly phase: 'inject' | 'heal';
  readonly target: string;
}

/**
 * Runner milestones: `healed` is when the last fault was undone and the ensemble served again;
 * `aborted` means the fault plan could not go on (`detail` says why), always a finding.
 */
export interface PhaseEvent {
  readonly type: 'phase';
  readonly ts: number;
  readonly phase: 'start' | 'aborted' | 'healed' | 'end';
  readonly detail?: string;
}

export type HistoryEvent = LockEvent | WorkerEvent | FaultEvent | PhaseEvent;

const literals = <const A extends readonly [string, string, ...string[]]>(values: A) =>
  t.union(
    values.map((v) => t.literal(v)) as unknown as [
      t.LiteralC<A[0]>,
      t.LiteralC<A[1]>,
      ...t.LiteralC<A[number]>[],
    ],
  );

const LockEventCodec = t.intersection([
  t.type({
    type: t.literal('lock'),
    ts: t.number,
    worker: t.string,
    attempt: t.number,
    key: t.string,
    kind: literals(['mutex', 'semaphore', 'election']),
    max: t.number,
    event: literals(['wait', 'acquire', 'release', 'lost', 'timeout', 'error']),
    drain: t.boolean,
  }),
  t.partial({ token: t.string, session: t.string, error: t.string }),
]);

const WorkerEventCodec = t.intersection([
  t.type({
    type: t.literal('worker'),
    ts: t.number,
    worker: t.string,
    event: literals(['spawned', 'stall', 'killed', 'exited', 'crashed']),
  }),
  t.partial({ durationMs: t.number, detail: t.string }),
]);

const FaultEventCodec = t.type({
  type: t.literal('fault'),
  ts: t.number,
  fault: literals(faultTypes as unknown as [FaultType, FaultType, ...FaultType[]]),
  phase: literals(['inject', 'heal']),
  target: t.string,
});

const PhaseEventCodec = t.intersection([
  t.type({
    type: t.literal('phase'),
    ts: t.number,
    phase: literals(['start', 'aborted', 'healed', 'end']),
  }),
  t.partial({ detail: t.string }),
]);

export const HistoryEventCodec: t.Decoder<unknown, HistoryEvent> = t.union([
  LockEventCodec,
  WorkerEventCodec,
  FaultEventCodec,
  PhaseEventCodec,
]);

export const encodeEvent = (event: HistoryEvent): string => JSON.stringify(event);

export interface HistoryParseError {
  readonly line: number;
  readonly message: string;
}

const describeErrors = (errors: t.Errors): string =>
  errors
    .map((e) => {
      const path = e.context
        .map((c) => c.key)
        .filter((k) => k !== '' && !/^\d+$/.test(k))
        .join('.');
      return `${path || 'event'}: unexpected ${JSON.stringify(e.value)}`;
    })
    .slice(0, 3)
    .join('; ');

/** Parses JSON lines; blank lines are skipped, the first bad line is the error (numbered from 1). */
export const parseHistory = (text: string): E.Either<HistoryParseError, ReadonlyArray<HistoryEvent>> => {
  const events: HistoryEvent[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (e) {
      return E.left({ line: index + 1, message: `not JSON: ${(e as Error).message}` });
    }
    const decoded = HistoryEventCodec.decode(json);
    if (E.isLeft(decoded)) return E.left({ line: index + 1, message: describeErrors(decoded.left) });
    events.push(decoded.right);
  }
  return E.right(events);
};

/** Several histories as one, in time order (ties keep their input order). */
export const mergeHistories = (histories: ReadonlyArray<ReadonlyArray<HistoryEvent>>): HistoryEvent[] =>
  histories.flat().sort((a, b) => a.ts - b.ts);
