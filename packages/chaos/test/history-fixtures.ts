import type { HistoryEvent, LockEvent, LockKind } from '../src/history.js';

/** Hand-made histories: a tiny DSL so each test reads as a timeline. */
export interface AttemptSpec {
  readonly worker: string;
  readonly attempt?: number;
  readonly key?: string;
  readonly kind?: LockKind;
  readonly max?: number;
  readonly drain?: boolean;
  readonly wait: number;
  readonly acquire?: number;
  readonly token?: bigint;
  readonly session?: string;
  readonly release?: number;
  readonly lost?: number;
  readonly timeout?: number;
  readonly error?: number;
}

let sessions = 0;

export const attempt = (spec: AttemptSpec): LockEvent[] => {
  const base = {
    type: 'lock' as const,
    worker: spec.worker,
    attempt: spec.attempt ?? 1,
    key: spec.key ?? 'k',
    kind: spec.kind ?? 'mutex',
    max: spec.max ?? 1,
    drain: spec.drain ?? false,
  };
  const events: LockEvent[] = [{ ...base, ts: spec.wait, event: 'wait' }];
  if (spec.acquire !== undefined)
    events.push({
      ...base,
      ts: spec.acquire,
      event: 'acquire',
      token: String(spec.token ?? 0n),
      session: spec.session ?? (++sessions).toString(16).padStart(16, '0'),
    });
  if (spec.release !== undefined) events.push({ ...base, ts: spec.release, event: 'release' });
  if (spec.lost !== undefined) events.push({ ...base, ts: spec.lost, event: 'lost' });
  if (spec.timeout !== undefined) events.push({ ...base, ts: spec.timeout, event: 'timeout' });
  if (spec.error !== undefined)
    events.push({ ...base, ts: spec.error, event: 'error', error: 'Error: boom' });
  return events;
};

/** A token as the library builds it: parent czxid in the high 32 bits, sequence in the low ones. */
export const token = (czxid: number, sequence: number): bigint => (BigInt(czxid) << 32n) | BigInt(sequence);

export const history = (...parts: ReadonlyArray<HistoryEvent | HistoryEvent[]>): HistoryEvent[] =>
  parts.flat().sort((a, b) => a.ts - b.ts);

export const noScan = { lockNodes: [], openSessions: [], trackedSessions: 0 };
