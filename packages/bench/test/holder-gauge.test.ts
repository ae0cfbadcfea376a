import { describe, expect, it } from 'vitest';
import { HolderGauge } from '../src/holder-gauge.js';

/** A clock the test moves by hand. */
const manualClock = () => {
  let t = 0;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
};

describe('HolderGauge', () => {
  it('weights each holder count by how long it lasted', () => {
    const clock = manualClock();
    const gauge = new HolderGauge(3, clock.now);
    clock.advance(10); // 0 holders for 10 ms
    gauge.acquired();
    gauge.acquired();
    clock.advance(20); // 2 holders for 20 ms
    gauge.acquired();
    clock.advance(10); // 3 holders for 10 ms
    gauge.released();
    gauge.released();
    gauge.released();
    clock.advance(10); // 0 holders for 10 ms
    expect(gauge.averageHolders()).toBeCloseTo((0 * 10 + 2 * 20 + 3 * 10 + 0 * 10) / 50, 10);
  });

  it('counts the time since the last change at the current level', () => {
    const clock = manualClock();
    const gauge = new HolderGauge(1, clock.now);
    gauge.acquired();
    clock.advance(30);
    expect(gauge.averageHolders()).toBe(1);
  });

  it('counts every acquisition that takes the count above the limit, and keeps the peak', () => {
    const clock = manualClock();
    const gauge = new HolderGauge(1, clock.now);
    gauge.acquired();
    gauge.released();
    expect(gauge.violations).toBe(0);
    gauge.acquired();
    gauge.acquired();
    gauge.acquired();
    gauge.released();
    gauge.released();
    gauge.released();
    expect(gauge.violations).toBe(2);
    expect(gauge.maxHolders).toBe(3);
    expect(gauge.current).toBe(0);
  });
});
