/**
 * Nearest-rank percentile: the smallest sample such that at least `p` percent of the samples are
 * less than or equal to it (rank ⌈p/100 · n⌉). No interpolation, so every reported value is one
 * that was actually measured, and results compare with other tools that use the same definition.
 * `undefined` for an empty sample.
 */
export const nearestRank = (samples: ReadonlyArray<number>, p: number): number | undefined => {
  if (samples.length === 0) return undefined;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
};

/** Round for reporting; `null` stands for "no sample" in the JSON output. */
export const round = (value: number | undefined, decimals = 2): number | null => {
  if (value === undefined || !Number.isFinite(value)) return null;
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
};

/** `numerator / denominator` rounded, or `null` when there is nothing to divide by. */
export const ratio = (numerator: number, denominator: number, decimals = 2): number | null =>
  denominator === 0 ? null : round(numerator / denominator, decimals);
