import { describe, expect, it } from 'vitest';
import { faultTypes } from '../src/history.js';
import { createRng, deriveSeed } from '../src/prng.js';
import { planFaults } from '../src/schedule.js';

describe('the seeded PRNG', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRng(seed).uint32);
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('draws integers within bounds and shuffles into a permutation', () => {
    const rng = createRng(7);
    const ints = Array.from({ length: 1000 }, () => rng.int(3, 9));
    expect(Math.min(...ints)).toBe(3);
    expect(Math.max(...ints)).toBe(8);
    expect(rng.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('derives distinct seeds per stream', () => {
    expect(new Set([0, 1, 2, 3].map((n) => deriveSeed(1, n))).size).toBe(4);
  });
});

describe('the fault plan', () => {
  const options = { seed: 1, faultPhaseMs: 80_000, sessionTimeoutMs: 4_000 };

  it('is a pure function of its seed', () => {
    expect(planFaults(options)).toEqual(planFaults(options));
    expect(planFaults({ ...options, seed: 2 })).not.toEqual(planFaults(options));
  });

  it('injects every fault type once before repeating any', () => {
    for (const seed of [1, 2, 3, 99]) {
      const first = planFaults({ ...options, seed }).slice(0, faultTypes.length);
      expect(new Set(first.map((f) => f.type))).toEqual(new Set(faultTypes));
    }
  });

  it('pauses for longer than the session timeout where the fault must expire a session', () => {
    for (const fault of planFaults({ ...options, faultPhaseMs: 600_000 }))
      if (fault.type === 'member-pause-expiry' || fault.type === 'worker-stall')
        expect(fault.durationMs).toBeGreaterThan(options.sessionTimeoutMs);
  });

  it('starts faults in order within the phase', () => {
    const plan = planFaults(options);
    expect(plan.every((f, i) => i === 0 || f.atMs > plan[i - 1]!.atMs)).toBe(true);
    expect(plan.every((f) => f.atMs < options.faultPhaseMs)).toBe(true);
  });
});
