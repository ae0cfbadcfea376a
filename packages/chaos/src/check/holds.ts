import type { HistoryEvent, LockEvent, LockKind } from '../history.js';

/**
 * Holds and attempts derived from a history. A hold runs from the moment its worker learned it
 * acquired to the moment it stopped believing so: it logged `release` (before calling `unlock`,
 * so the node still exists then), it was told `lost`, or its process was killed. These intervals
 * lie inside the true life of the lock node, so two of them overlapping is a real violation and
 * never an artefact of logging.
 */

export interface Stall {
  readonly from: number;
  readonly to: number;
}

export interface Hold {
  readonly worker: string;
  readonly attempt: number;
  readonly key: string;
  readonly kind: LockKind;
  readonly max: number;
  readonly drain: boolean;
  readonly waitTs: number | undefined;
  readonly acquiredTs: number;
  readonly token: bigint | undefined;
  readonly session: string | undefined;
  /** When the holder stopped believing it held; `Infinity` when the history never says. */
  readonly endTs: number;
  readonly end: 'release' | 'lost' | 'killed' | 'open';
  /**
   * The stall (blocked event loop) that began during the hold, if any. A process that does not run
   * cannot act on the lock nor be told anything, so its hold is cut at the stall's start; what it
   * believed after the stall (the tail) is protected by fencing tokens, not by the lock.
   */
  readonly stall: Stall | undefined;
}

/** The end of the part of a hold during which its worker ran: the stall's start, if it stalled. */
export const activeEnd = (hold: Hold): number => (hold.stall === undefined ? hold.endTs : hold.stall.from);

export type AttemptOutcome = 'acquire' | 'timeout' | 'error' | 'none';

/** One `lock()` call: its wait, and how the wait ended (`none`: never, in this history). */
export interface Attempt {
  readonly worker: string;
  readonly attempt: number;
  readonly key: string;
  readonly drain: boolean;
  readonly waitTs: number;
  readonly outcome: AttemptOutcome;
  readonly outcomeTs: number | undefined;
  readonly error: string | undefined;
  /** The worker was killed before the wait ended: no outcome is owed. */
  readonly killed: boolean;
}

export interface Derived {
  readonly holds: ReadonlyArray<Hold>;
  readonly attempts: ReadonlyArray<Attempt>;
  /** Lock events that fit no attempt (e.g. an acquire without a wait, a release of nothing). */
  readonly malformed: ReadonlyArray<LockEvent>;
}

const parseToken = (token: string | undefined): bigint | undefined => {
  if (token === undefined || !/^\d+$/.test(token)) return undefined;
  return BigInt(token);
};

interface Draft {
  wait?: LockEvent;
  acquire?: LockEvent;
  outcome?: LockEvent;
  end?: LockEvent;
}

/** Derives holds and attempts; events may come in any order, they are sorted by time first. */
export const deriveHolds = (history: ReadonlyArray<HistoryEvent>): Derived => {
  const sorted = [...history].sort((a, b) => a.ts - b.ts);
  const drafts = new Map<string, Draft>();
  const killedAt = new Map<string, number>();
  const stalls = new Map<string, Stall[]>();
  const malformed: LockEvent[] = [];

  for (const event of sorted) {
    if (event.type === 'worker') {
      if (event.event === 'killed' || event.event === 'crashed') killedAt.set(event.worker, event.ts);
      if (event.event === 'stall') {
        const list = stalls.get(event.worker) ?? [];
        list.push({ from: event.ts, to: event.ts + (event.durationMs ?? 0) });
        stalls.set(event.worker, list);
      }
      continue;
    }
    if (event.type !== 'lock') continue;
    const id = `${event.worker}#${event.attempt}`;
    const draft = drafts.get(id) ?? {};
    drafts.set(id, draft);
    switch (event.event) {
      case 'wait':
        if (draft.wait !== undefined) malformed.push(event);
        else draft.wait = event;
        break;
      case 'acquire':
        if (draft.acquire !== undefined || draft.outcome !== undefined) malformed.push(event);
        else {
          draft.acquire = event;
          draft.outcome = event;
        }
        break;
      case 'timeout':
      case 'error':
        if (draft.outcome !== undefined) malformed.push(event);
        else draft.outcome = event;
        break;
      case 'release':
      case 'lost':
        if (draft.acquire === undefined || draft.end !== undefined) malformed.push(event);
        else draft.end = event;
        break;
    }
  }

  const holds: Hold[] = [];
  const attempts: Attempt[] = [];
  for (const draft of drafts.values()) {
    const first = draft.wait ?? draft.acquire ?? draft.outcome ?? draft.end;
    if (first === undefined) continue;
    const killed = killedAt.get(first.worker);
    if (draft.wait !== undefined) {
      attempts.push({
        worker: first.worker,
        attempt: first.attempt,
        key: first.key,
        drain: first.drain,
        waitTs: draft.wait.ts,
        outcome: (draft.outcome?.event as AttemptOutcome | undefined) ?? 'none',
        outcomeTs: draft.outcome?.ts,
        error: draft.outcome?.error,
        killed: killed !== undefined && draft.outcome === undefined,
      });
    }
    const acquire = draft.acquire;
    if (acquire === undefined) continue;
    const end = draft.end;
    const endTs = end?.ts ?? killed ?? Infinity;
    const endKind: Hold['end'] =
      end !== undefined ? (end.event as 'release' | 'lost') : killed !== undefined ? 'killed' : 'open';
    const stall = (stalls.get(acquire.worker) ?? []).find((s) => s.from >= acquire.ts && s.from < endTs);
    holds.push({
      worker: acquire.worker,
      attempt: acquire.attempt,
      key: acquire.key,
      kind: acquire.kind,
      max: acquire.max,
      drain: acquire.drain,
      waitTs: draft.wait?.ts,
      acquiredTs: acquire.ts,
      token: parseToken(acquire.token),
      session: acquire.session,
      endTs,
      end: endKind,
      stall,
    });
  }
  return { holds, attempts, malformed };
};

/** Holds grouped by key, each group in acquisition order. */
export const holdsByKey = (holds: ReadonlyArray<Hold>): Map<string, Hold[]> => {
  const byKey = new Map<string, Hold[]>();
  for (const hold of holds) {
    const list = byKey.get(hold.key) ?? [];
    list.push(hold);
    byKey.set(hold.key, list);
  }
  for (const list of byKey.values()) list.sort((a, b) => a.acquiredTs - b.acquiredTs);
  return byKey;
};

export const describeHold = (hold: Hold): string =>
  `${hold.worker}#${hold.attempt} (token ${hold.token ?? '?'}, session ${hold.session ?? '?'}, ` +
  `${hold.acquiredTs.toFixed(3)}..${Number.isFinite(hold.endTs) ? hold.endTs.toFixed(3) : 'never'} ${hold.end})`;
