import { nearestRank } from './stats.js';
import type { Fields } from './workload.js';

export interface FieldSummary {
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

/** Median (nearest-rank p50, so a measured value) and range of each field over the repetitions. */
export const summarizeReps = (reps: ReadonlyArray<Fields>): Readonly<Record<string, FieldSummary>> => {
  const names = [...new Set(reps.flatMap((rep) => Object.keys(rep)))];
  return Object.fromEntries(
    names.map((name) => {
      const values = reps.map((rep) => rep[name]).filter((v): v is number => typeof v === 'number');
      const summary: FieldSummary =
        values.length === 0
          ? { median: null, min: null, max: null }
          : { median: nearestRank(values, 50) ?? null, min: Math.min(...values), max: Math.max(...values) };
      return [name, summary];
    }),
  );
};

const show = (value: number | null): string => (value === null ? '–' : String(value));

/** A Markdown table of medians with their min–max, one row per workload field. */
export const renderTable = (
  results: ReadonlyArray<{
    readonly workload: string;
    readonly fields: Readonly<Record<string, FieldSummary>>;
  }>,
): string => {
  const rows = results.flatMap(({ workload, fields }) =>
    Object.entries(fields).map(([name, s]) => {
      const range = s.min === s.max ? '' : `${show(s.min)} – ${show(s.max)}`;
      return `| ${workload} | ${name} | ${show(s.median)} | ${range} |`;
    }),
  );
  return ['| workload | field | median | min – max |', '|---|---|---:|---:|', ...rows].join('\n');
};
