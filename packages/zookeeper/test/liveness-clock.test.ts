import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LivenessClock } from '../src/liveness-clock.js';

const T = 1_200;

/**
 * A clock on fake time with its hooks recorded. A ping goes in flight like a real one (its send
 * time is queued in `pings`); `answer(sentAt)` settles a request in flight as answered.
 */
const setup = (confirmedAt = 0) => {
  const calls: string[] = [];
  const pings: number[] = [];
  const clock: LivenessClock = new LivenessClock(
    () => T,
    confirmedAt,
    {
      ping: () => {
        calls.push(`ping@${Date.now()}`);
        pings.push(clock.sent());
      },
      suspended: (lostInMs) => calls.push(`suspended@${Date.now()} lostIn ${lostInMs}`),
      reconnected: () => calls.push(`reconnected@${Date.now()}`),
      lost: () => calls.push(`lost@${Date.now()}`),
    },
    () => Date.now(),
  );
  const answer = (sentAt: number): void => clock.settled(sentAt, 'answered');
  /** A request sent at `sentAt` and answered now. */
  const answered = (sentAt: number): void => {
    clock.sent();
    answer(sentAt);
  };
  return { clock, calls, pings, answer, answered };
};

beforeEach(() => {
  vi.useFakeTimers({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('LivenessClock', () => {
  it('pings an idle session every eighth of the timeout, and never while a request is in flight', () => {
    const { clock, calls, pings, answer } = setup();
    clock.check();
    vi.advanceTimersByTime(T / 8);
    expect(calls).toEqual(['ping@150']);
    answer(pings.shift() as number);
    const request = clock.sent();
    vi.advanceTimersByTime(T / 4);
    expect(calls).toEqual(['ping@150']);
    answer(request);
    vi.advanceTimersByTime(T / 8);
    expect(calls).toEqual(['ping@150', 'ping@450']);
  });

  it('counts an answer as evidence only once a request sent a quarter timeout after it is answered', () => {
    const { clock, answered } = setup();
    vi.setSystemTime(110);
    answered(100); // sent at 100, answered at 110
    expect(clock.confirmedAt).toBe(0);
    vi.setSystemTime(420);
    answered(409); // sent less than T/4 = 300 after the first answer: that one is not confirmed yet
    expect(clock.confirmedAt).toBe(0);
    vi.setSystemTime(430);
    answered(410);
    expect(clock.confirmedAt).toBe(100);
    expect(clock.lastAnsweredSentAt).toBe(410);
  });

  it('without answers: suspended at 2/3 of the timeout, lost at the timeout, from the confirmed evidence', () => {
    const { clock, calls, pings, answer } = setup();
    clock.check();
    vi.advanceTimersByTime(T); // the ping sent at 150 is never answered
    expect(calls).toEqual(['ping@150', 'suspended@800 lostIn 400', 'lost@1200']);
    expect(clock.phase).toBe('lost');
    answer(pings.shift() as number); // a late answer changes nothing
    expect(calls).toHaveLength(3);
  });

  it('a dropped socket suspends at once and discards unconfirmed evidence; the accepted reconnect confirms', () => {
    const { clock, calls, answered } = setup();
    vi.setSystemTime(110);
    answered(100);
    vi.setSystemTime(120);
    clock.disconnected();
    expect(calls).toEqual(['suspended@120 lostIn 1080']);
    vi.setSystemTime(520);
    answered(500); // after the reconnect, perhaps from another server: it must not confirm 100
    expect(clock.confirmedAt).toBe(0);
    clock.connected(510);
    expect(calls).toEqual(['suspended@120 lostIn 1080', 'reconnected@520']);
    expect(clock.confirmedAt).toBe(510);
  });

  it('after a silence, reconnects only once new evidence is confirmed', () => {
    const { clock, calls, pings, answer } = setup();
    clock.check();
    vi.advanceTimersByTime(850); // ping at 150 unanswered; suspended at 800
    answer(pings.shift() as number); // the server is back and answers the ping sent before its silence
    expect(calls.slice(-1)).toEqual(['ping@850']); // evidence from 150 is old: idle, so ping again
    answer(pings.shift() as number);
    expect(clock.phase).toBe('suspended');
    vi.advanceTimersByTime(T / 8); // next ping at 850 + 150
    answer(pings.shift() as number);
    expect(clock.phase).toBe('suspended'); // sent at 1000: nothing was answered by 700
    vi.advanceTimersByTime(T / 8);
    answer(pings.shift() as number); // sent at 1150: confirms what was answered by 850
    expect(calls.slice(-2)).toEqual(['ping@1150', 'reconnected@1150']);
    expect(clock.confirmedAt).toBe(850);
  });

  it('judges by the time that passed, not by timers: after a blocked event loop a stale answer finds the session lost', () => {
    const { clock, calls } = setup();
    clock.check();
    const stale = clock.sent();
    vi.setSystemTime(T + 500); // the loop was blocked: no timer ran
    clock.settled(stale, 'answered');
    expect(calls).toEqual([`lost@${T + 500}`]);
  });
});
