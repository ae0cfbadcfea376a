import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { checkHistory, type CheckInput } from '../src/check/index.js';
import { encodeEvent, parseHistory } from '../src/history.js';
import { attempt, history, noScan, token } from './history-fixtures.js';

const check = (input: Partial<CheckInput> & Pick<CheckInput, 'history'>) =>
  checkHistory({ scan: noScan, expiries: new Map(), logToleranceMs: 2, ...input });

const checksOf = (input: Partial<CheckInput> & Pick<CheckInput, 'history'>) =>
  check(input).violations.map((v) => v.check);

describe('the checker accepts correct histories', () => {
  it('passes mutex holders that follow each other with growing tokens', () => {
    const result = check({
      history: history(
        attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 1), release: 10 }),
        attempt({ worker: 'w2', wait: 2, acquire: 11, token: token(5, 2), release: 20 }),
        attempt({ worker: 'w3', wait: 3, acquire: 21, token: token(5, 3), release: 30 }),
        attempt({ worker: 'w3', attempt: 2, wait: 31, timeout: 40 }),
      ),
    });
    expect(result.violations).toEqual([]);
    expect(result.figures).toMatchObject({ acquisitions: 3, lost: 0, timeouts: 1, violations: 0 });
  });

  it('passes two semaphore holders at once, even when the younger node is heard to acquire first', () => {
    const sem = { key: 's', kind: 'semaphore' as const, max: 2 };
    const result = check({
      history: history(
        attempt({ ...sem, worker: 'w1', wait: 0, acquire: 1, token: token(7, 1), release: 50 }),
        attempt({ ...sem, worker: 'w2', wait: 0, acquire: 2, token: token(7, 2), release: 20 }),
        // w3 and w4 waited behind both; when w1 and w2 leave, w4's client hears before w3's.
        attempt({ ...sem, worker: 'w3', wait: 3, acquire: 52, token: token(7, 3), release: 60 }),
        attempt({ ...sem, worker: 'w4', wait: 4, acquire: 51, token: token(7, 4), release: 61 }),
      ),
    });
    expect(result.violations).toEqual([]);
  });

  it('passes leaders of an election that follow each other with growing tokens', () => {
    const election = { key: 'e', kind: 'election' as const };
    const result = check({
      history: history(
        attempt({ ...election, worker: 'w1', wait: 0, acquire: 1, token: token(9, 1), release: 10 }),
        attempt({ ...election, worker: 'w2', wait: 2, acquire: 10, token: token(9, 2), lost: 20 }),
        attempt({ ...election, worker: 'w3', wait: 3, acquire: 25, token: token(9, 3), release: 30 }),
      ),
    });
    expect(result.violations).toEqual([]);
    expect(result.figures).toMatchObject({ acquisitions: 3, leaderships: 3, lost: 1 });
  });

  it('passes a recreated lock parent: its larger czxid keeps tokens growing although sequences restart', () => {
    expect(
      checksOf({
        history: history(
          attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 41), release: 10 }),
          attempt({ worker: 'w2', wait: 20, acquire: 21, token: token(90, 0), release: 30 }),
        ),
      }),
    ).toEqual([]);
  });

  it('ends a killed holder at its kill; a successor after the session expired is no overlap', () => {
    const result = check({
      history: history(
        attempt({ worker: 'w1.0', wait: 0, acquire: 1, token: token(5, 1) }),
        { type: 'worker', ts: 5, worker: 'w1.0', event: 'killed' },
        attempt({ worker: 'w2.0', wait: 2, acquire: 4_100, token: token(5, 2), release: 4_110 }),
      ),
    });
    expect(result.violations).toEqual([]);
  });

  it('cuts a stalled holder at its stall and reports how long it believed it held afterwards', () => {
    const result = check({
      history: history(
        attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 1), lost: 6_003 }),
        { type: 'worker', ts: 2, worker: 'w1', event: 'stall', durationMs: 6_000 },
        attempt({ worker: 'w2', wait: 3, acquire: 4_500, token: token(5, 2), release: 4_510 }),
      ),
    });
    expect(result.violations).toEqual([]);
    expect(result.figures.worst_stalled_holder_tail_ms).toBe(1);
  });

  it('measures a lost raised before the competitor acquired as a negative lateness', () => {
    const result = check({
      history: history(
        attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 1), lost: 4_000 }),
        attempt({ worker: 'w2', wait: 3, acquire: 4_300, token: token(5, 2), release: 4_310 }),
      ),
    });
    expect(result.violations).toEqual([]);
    expect(result.figures.worst_lost_after_expiry_ms).toBe(-300);
    expect(result.figures.lost_with_known_expiry).toBe(1);
  });
});

describe('the checker reports broken histories', () => {
  it('reports two mutex holds that overlap', () => {
    const result = check({
      history: history(
        attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 1), release: 10 }),
        attempt({ worker: 'w2', wait: 2, acquire: 9, token: token(5, 2), release: 20 }),
      ),
    });
    expect(result.violations.map((v) => v.check)).toEqual(['exclusion']);
    expect(result.violations[0]?.message).toMatch(/2 holders of a mutex .* for 1\.000 ms/);
  });

  it('reports two leaders of an election at once, as leadership and not exclusion', () => {
    const election = { key: 'e', kind: 'election' as const };
    const result = check({
      history: history(
        attempt({ ...election, worker: 'w1', wait: 0, acquire: 1, token: token(9, 1), release: 10 }),
        attempt({ ...election, worker: 'w2', wait: 2, acquire: 8, token: token(9, 2), release: 20 }),
      ),
    });
    expect(result.violations.map((v) => v.check)).toEqual(['leadership']);
    expect(result.violations[0]).toMatchObject({ key: 'e' });
    expect(result.violations[0]?.message).toMatch(
      /^2 leaders at once at 8\.000 for 2\.000 ms: w1#1 .*; w2#1 /,
    );
  });

  it('reports an election token going backwards in leadership order', () => {
    const election = { key: 'e', kind: 'election' as const };
    expect(
      checksOf({
        history: history(
          attempt({ ...election, worker: 'w1', wait: 0, acquire: 1, token: token(9, 2), release: 10 }),
          attempt({
            ...election,
            worker: 'w2',
            attempt: 2,
            wait: 11,
            acquire: 12,
            token: token(9, 1),
            release: 20,
          }),
        ),
      }),
    ).toEqual(['fencing', 'fencing']);
  });

  it('reports a third holder of a semaphore of two', () => {
    const sem = { key: 's', kind: 'semaphore' as const, max: 2 };
    expect(
      checksOf({
        history: history(
          attempt({ ...sem, worker: 'w1', wait: 0, acquire: 1, token: token(7, 1), release: 30 }),
          attempt({ ...sem, worker: 'w2', wait: 0, acquire: 2, token: token(7, 2), release: 30 }),
          attempt({ ...sem, worker: 'w3', wait: 0, acquire: 3, token: token(7, 3), release: 30 }),
        ),
      }),
    ).toEqual(['exclusion']);
  });

  it('reports a token going backwards in acquisition order', () => {
    const result = check({
      history: history(
        attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 2), release: 10 }),
        attempt({ worker: 'w2', wait: 0, acquire: 11, token: token(5, 1), release: 20 }),
      ),
    });
    expect(result.violations.map((v) => v.check)).toEqual(['fencing']);
    expect(result.violations[0]?.message).toMatch(/backwards/);
  });

  it('reports a semaphore token below one acquired before its holder began to wait', () => {
    const sem = { key: 's', kind: 'semaphore' as const, max: 2 };
    const result = check({
      history: history(
        attempt({ ...sem, worker: 'w1', wait: 0, acquire: 1, token: token(7, 5), release: 30 }),
        attempt({ ...sem, worker: 'w2', wait: 10, acquire: 11, token: token(7, 4), release: 30 }),
      ),
    });
    expect(result.violations.map((v) => v.check)).toEqual(['fencing']);
    expect(result.violations[0]?.message).toMatch(/began waiting/);
  });

  it('reports a token handed out twice and an acquisition without a token', () => {
    const twice = history(
      attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 1), release: 10 }),
      attempt({ worker: 'w2', wait: 0, acquire: 11, token: token(5, 1), release: 20 }),
    );
    expect(checksOf({ history: twice })).toContain('fencing');
    const tokenless = history(attempt({ worker: 'w1', wait: 0, acquire: 1, release: 10 })).map((e) =>
      e.type === 'lock' && e.event === 'acquire' ? { ...e, token: 'none' } : e,
    );
    expect(check({ history: tokenless }).violations[0]?.message).toMatch(/without a token/);
  });

  it('reports a lost raised after a competitor took the lock (an overlap as well)', () => {
    const result = check({
      history: history(
        attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 1), lost: 4_500 }),
        attempt({ worker: 'w2', wait: 3, acquire: 4_300, token: token(5, 2), release: 4_600 }),
      ),
    });
    expect(result.violations.map((v) => v.check).sort()).toEqual(['exclusion', 'lost-timing']);
    expect(result.figures.worst_lost_after_expiry_ms).toBe(200);
  });

  it('reports a lost raised after the server log says the session expired, with no competitor', () => {
    const result = check({
      history: history(
        attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 1), session: 'ab', lost: 4_010 }),
      ),
      expiries: new Map([['00000000000000ab', 4_000]]),
    });
    expect(result.violations.map((v) => v.check)).toEqual(['lost-timing']);
    expect(result.violations[0]?.message).toMatch(/server log/);
    expect(result.figures.worst_lost_after_expiry_ms).toBe(10);
  });

  it('reports a holder that was never told and released after the server expired its session', () => {
    const result = check({
      history: history(
        attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 1), session: 'ab', release: 6_000 }),
      ),
      expiries: new Map([['00000000000000ab', 4_000]]),
    });
    expect(result.violations.map((v) => v.check)).toEqual(['lost-timing']);
    expect(result.violations[0]?.message).toMatch(/never told/);
    expect(result.figures.worst_lost_after_expiry_ms).toBe(2_000);
  });

  it('tolerates the log clock mapping error but nothing beyond it', () => {
    const at = (lost: number) =>
      checksOf({
        history: history(
          attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 1), session: 'ab', lost }),
        ),
        expiries: new Map([['00000000000000ab', 4_000]]),
      });
    expect(at(4_001.5)).toEqual([]);
    expect(at(4_002.5)).toEqual(['lost-timing']);
  });

  it('reports a waiter that never settled, a hold never let go, and a drain attempt that timed out', () => {
    const result = check({
      history: history(
        attempt({ worker: 'w1', wait: 0 }),
        attempt({ worker: 'w2', wait: 0, acquire: 1, token: token(5, 1) }),
        attempt({ worker: 'w3', key: 'other', drain: true, wait: 0, timeout: 20_000 }),
      ),
    });
    expect(result.violations.map((v) => v.check)).toEqual(['liveness', 'liveness', 'liveness']);
  });

  it('owes nothing for a worker killed while it waited', () => {
    expect(
      checksOf({
        history: history(attempt({ worker: 'w1', wait: 0 }), {
          type: 'worker',
          ts: 3,
          worker: 'w1',
          event: 'killed',
        }),
      }),
    ).toEqual([]);
  });

  it('reports lock nodes and sessions left behind', () => {
    const result = check({
      history: [],
      scan: {
        lockNodes: ['/locks/k/lock-0000000007'],
        openSessions: ['0000000000000abc'],
        trackedSessions: 2,
      },
    });
    expect(result.violations.map((v) => v.check)).toEqual(['leftovers', 'leftovers', 'leftovers']);
    expect(result.figures).toMatchObject({ leftover_lock_nodes: 1, open_sessions: 1, tracked_sessions: 2 });
  });

  it('reports events that fit no attempt', () => {
    const orphan = attempt({ worker: 'w1', wait: 0, acquire: 1, token: token(5, 1), release: 2 }).filter(
      (e) => e.event === 'release',
    );
    expect(checksOf({ history: orphan })).toEqual(['history']);
  });

  it('reports a worker that died unbidden and a fault plan that was aborted', () => {
    const result = check({
      history: [
        { type: 'worker', ts: 1, worker: 'w1.0', event: 'crashed', detail: 'exited with code 1' },
        { type: 'phase', ts: 2, phase: 'aborted', detail: 'worker-kill: no worker is running' },
      ],
    });
    expect(result.violations.map((v) => v.check)).toEqual(['crash', 'aborted']);
  });

  it('counts injected faults by type', () => {
    const result = check({
      history: [
        { type: 'fault', ts: 1, fault: 'leader-kill', phase: 'inject', target: 'zk2' },
        { type: 'fault', ts: 2, fault: 'leader-kill', phase: 'heal', target: 'zk2' },
        { type: 'fault', ts: 3, fault: 'worker-stall', phase: 'inject', target: 'w1.0' },
      ],
    });
    expect(result.figures.faults).toMatchObject({ 'leader-kill': 1, 'worker-stall': 1, 'worker-kill': 0 });
  });
});

describe('history lines', () => {
  it('round-trips events through JSON lines', () => {
    const events = history(
      attempt({ worker: 'w1', wait: 0.5, acquire: 1.25, token: token(5, 1), release: 2 }),
    );
    const parsed = parseHistory(events.map(encodeEvent).join('\n') + '\n');
    expect(parsed).toEqual(E.right(events));
  });

  it('names the line and the field of a bad event', () => {
    const good = encodeEvent({ type: 'phase', ts: 1, phase: 'start' });
    const bad = JSON.stringify({
      type: 'lock',
      ts: 2,
      worker: 'w1',
      attempt: 1,
      key: 'k',
      kind: 'mutex',
      max: 1,
      event: 'grab',
      drain: false,
    });
    const parsed = parseHistory(`${good}\n${bad}\n`);
    expect(E.isLeft(parsed) && parsed.left.line).toBe(2);
    expect(E.isLeft(parsed) && parsed.left.message).toMatch(/event: unexpected "grab"/);
  });
});
