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

/**
 * A Markdown table comparing libraries: one row per workload field (in the order the first library
 * that has it reports it), one column per library with its median and, in brackets, the min–max.
 * A library without the workload or the field shows `–`.
 */
export const renderComparison = (
  libraries: ReadonlyArray<{
    readonly lib: string;
    readonly results: ReadonlyArray<{
      readonly workload: string;
      readonly fields: Readonly<Record<string, FieldSummary>>;
    }>;
  }>,
): string => {
  const rows = new Map<string, { workload: string; field: string }>();
  for (const { results } of libraries)
    for (const { workload, fields } of results)
      for (const field of Object.keys(fields)) rows.set(`${workload} ${field}`, { workload, field });
  const cell = (lib: (typeof libraries)[number], workload: string, field: string): string => {
    const s = lib.results.find((r) => r.workload === workload)?.fields[field];
    if (s === undefined) return '–';
    return s.min === s.max ? show(s.median) : `${show(s.median)} (${show(s.min)} – ${show(s.max)})`;
  };
  const order = [...new Set(libraries.flatMap((l) => l.results.map((r) => r.workload)))];
  const sorted = [...rows.values()].sort((a, b) => order.indexOf(a.workload) - order.indexOf(b.workload));
  return [
    `| workload | field | ${libraries.map((l) => l.lib).join(' | ')} |`,
    `|---|---|${libraries.map(() => '---:').join('|')}|`,
    ...sorted.map(
      ({ workload, field }) =>
        `| ${workload} | ${field} | ${libraries.map((l) => cell(l, workload, field)).join(' | ')} |`,
    ),
  ].join('\n');
};
