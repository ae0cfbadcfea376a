import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { SessionWindow, type WindowTicket } from '../src/session-window.js';

/** Tickets of one window, with when each started. */
const harness = (size: number) => {
  const window = new SessionWindow(size);
  const started: number[] = [];
  const tickets: WindowTicket[] = [];
  const enter = (onStart: (ticket: WindowTicket) => void = () => undefined): WindowTicket => {
    const id = tickets.length;
    const ticket = window.ticket(() => {
      started.push(id);
      onStart(ticket);
    });
    tickets.push(ticket);
    ticket.enter();
    return ticket;
  };
  return { window, started, tickets, enter };
};

describe('SessionWindow', () => {
  it('starts operations at once while there is room, then one per operation that leaves, in call order', () => {
    const { window, started, tickets, enter } = harness(2);
    for (let i = 0; i < 5; i += 1) enter();
    expect(started).toEqual([0, 1]);
    expect([window.inside, window.waiting]).toEqual([2, 3]);

    tickets[1]?.leave();
    expect(started).toEqual([0, 1, 2]);
    tickets[0]?.leave();
    tickets[0]?.leave(); // idempotent: lets in one operation, not two
    expect(started).toEqual([0, 1, 2, 3]);
    expect([window.inside, window.waiting]).toEqual([2, 1]);
  });

  it('skips an operation that gave up its place in line', () => {
    const { started, tickets, enter } = harness(1);
    enter();
    enter();
    enter();
    tickets[1]?.leave();
    expect(tickets[1]?.inside).toBe(false);
    tickets[0]?.leave();
    expect(started).toEqual([0, 2]);
    expect(tickets[2]?.inside).toBe(true);
  });

  it('lets the next one in when an operation leaves from within its own start', () => {
    const { window, started, tickets, enter } = harness(1);
    enter();
    enter((ticket) => ticket.leave());
    enter();
    tickets[0]?.leave();
    expect(started).toEqual([0, 1, 2]);
    expect([window.inside, window.waiting]).toEqual([1, 0]);
  });

  const operation = fc.oneof(
    fc.record({ op: fc.constant('enter' as const), leaveAtOnce: fc.boolean() }),
    fc.record({ op: fc.constant('leave' as const), which: fc.nat() }),
  );

  test.prop([fc.integer({ min: 1, max: 4 }), fc.array(operation, { maxLength: 60 })])(
    'never has more than its size inside, never leaves room while one waits, and starts in call order',
    (size, operations) => {
      const { window, started, tickets, enter } = harness(size);
      for (const step of operations) {
        if (step.op === 'enter') enter(step.leaveAtOnce ? (ticket) => ticket.leave() : undefined);
        else tickets[step.which % Math.max(1, tickets.length)]?.leave();
        const inside = tickets.filter((ticket) => ticket.inside).length;
        expect(window.inside).toBe(inside);
        expect(inside).toBeLessThanOrEqual(size);
        if (window.waiting > 0) expect(inside).toBe(size);
        expect(started).toEqual([...started].sort((a, b) => a - b));
        expect(new Set(started).size).toBe(started.length);
      }
    },
  );
});
