import { nearestRank, round } from './stats.js';

/**
 * One W5 trial, times in ms on one monotonic clock. `null`: the event did not happen before the
 * trial's deadline (`endedAt`).
 */
export interface SafetyTrial {
  /** When the proxy started to drop the holder's traffic. */
  readonly partitionedAt: number;
  /** When the holder's `lost` event fired. */
  readonly lostAt: number | null;
  /** When the competitor's acquisition resolved. */
  readonly competitorAcquiredAt: number | null;
  readonly endedAt: number;
}

export interface SafetyWindow {
  readonly trials: number;
  readonly lost_before_competitor: number;
  readonly worst_overlap_ms: number | null;
  readonly lost_after_partition_p50_ms: number | null;
}

/**
 * How long both processes believed they held the lock in one trial: lost time minus competitor
 * acquire time. ≤ 0 means the old holder was told before anyone else could hold. A holder never
 * told within the trial counts as told at the deadline (a lower bound of the real overlap); a
 * competitor that never acquired overlapped with no one (`undefined`).
 */
export const overlapMs = (trial: SafetyTrial): number | undefined =>
  trial.competitorAcquiredAt === null
    ? undefined
    : (trial.lostAt ?? trial.endedAt) - trial.competitorAcquiredAt;

/** A trial is safe when the holder was told of its loss, no later than the competitor acquired. */
export const lostBeforeCompetitor = (trial: SafetyTrial): boolean =>
  trial.lostAt !== null &&
  (trial.competitorAcquiredAt === null || trial.lostAt <= trial.competitorAcquiredAt);

export const summarizeSafetyWindow = (trials: ReadonlyArray<SafetyTrial>): SafetyWindow => {
  const overlaps = trials.map(overlapMs).filter((o): o is number => o !== undefined);
  const lostAfterPartition = trials.flatMap((t) => (t.lostAt === null ? [] : [t.lostAt - t.partitionedAt]));
  return {
    trials: trials.length,
    lost_before_competitor: trials.filter(lostBeforeCompetitor).length,
    worst_overlap_ms: overlaps.length === 0 ? null : round(Math.max(...overlaps), 1),
    lost_after_partition_p50_ms: round(nearestRank(lostAfterPartition, 50), 1),
  };
};
