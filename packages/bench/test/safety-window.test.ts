import { describe, expect, it } from 'vitest';
import { overlapMs, summarizeSafetyWindow, type SafetyTrial } from '../src/safety-window.js';

const trial = (lostAt: number | null, competitorAcquiredAt: number | null): SafetyTrial => ({
  partitionedAt: 1000,
  lostAt,
  competitorAcquiredAt,
  endedAt: 40_000,
});

describe('W5 safety window', () => {
  it('measures overlap as lost time minus competitor acquire time', () => {
    expect(overlapMs(trial(9_000, 10_500))).toBe(-1_500);
    expect(overlapMs(trial(12_000, 10_000))).toBe(2_000);
  });

  it('counts a holder never told as told at the deadline, a lower bound of the overlap', () => {
    expect(overlapMs(trial(null, 10_000))).toBe(30_000);
  });

  it('has no overlap when the competitor never acquired', () => {
    expect(overlapMs(trial(9_000, null))).toBeUndefined();
  });

  it('summarizes trials: safe count, worst overlap and median time from partition to lost', () => {
    const summary = summarizeSafetyWindow([
      trial(8_000, 10_000), // safe, lost 7000 ms after the partition
      trial(9_000, 9_000), // safe: told at the very moment
      trial(11_000, 10_000), // unsafe by 1000 ms
      trial(null, 10_000), // never told: unsafe
      trial(10_000, null), // told, nobody else held: safe
    ]);
    expect(summary).toEqual({
      trials: 5,
      lost_before_competitor: 3,
      worst_overlap_ms: 30_000,
      lost_after_partition_p50_ms: 8_000, // of 7000, 8000, 9000, 10000: rank 2
    });
  });

  it('reports no overlap and no latency when nothing happened', () => {
    expect(summarizeSafetyWindow([trial(null, null)])).toEqual({
      trials: 1,
      lost_before_competitor: 0,
      worst_overlap_ms: null,
      lost_after_partition_p50_ms: null,
    });
  });
});
