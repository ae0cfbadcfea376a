import { describe, expect, it } from 'vitest';
import { renderComparison, renderTable, summarizeReps } from '../src/summary.js';

describe('summarizeReps', () => {
  it('gives the median and range of each field over the repetitions', () => {
    const summary = summarizeReps([
      { cycles_per_s: 950, violations: 0 },
      { cycles_per_s: 1010, violations: 0 },
      { cycles_per_s: 890, violations: 0 },
    ]);
    expect(summary.cycles_per_s).toEqual({ median: 950, min: 890, max: 1010 });
    expect(summary.violations).toEqual({ median: 0, min: 0, max: 0 });
  });

  it('ignores missing values and reports a field never measured as null', () => {
    const summary = summarizeReps([
      { a: null, b: 2 },
      { a: null, b: null },
    ]);
    expect(summary.a).toEqual({ median: null, min: null, max: null });
    expect(summary.b).toEqual({ median: 2, min: 2, max: 2 });
  });
});

describe('renderTable', () => {
  it('prints one Markdown row per field, with a range only when the repetitions differ', () => {
    const table = renderTable([
      {
        workload: 'W1',
        fields: {
          cycles_per_s: { median: 950, min: 890, max: 1010 },
          cycles: { median: 1900, min: 1900, max: 1900 },
        },
      },
    ]);
    expect(table.split('\n')).toEqual([
      '| workload | field | median | min – max |',
      '|---|---|---:|---:|',
      '| W1 | cycles_per_s | 950 | 890 – 1010 |',
      '| W1 | cycles | 1900 |  |',
    ]);
  });
});

describe('renderComparison', () => {
  const fixed = (value: number) => ({ median: value, min: value, max: value });
  it('puts each library in a column and marks what a library did not run', () => {
    const table = renderComparison([
      {
        lib: 'zk-lock-3.0.0',
        results: [
          { workload: 'W1', fields: { cycles_per_s: { median: 700, min: 650, max: 720 } } },
          { workload: 'W5', fields: { trials: fixed(20) } },
        ],
      },
      {
        lib: 'kazoo-2.8.0',
        results: [{ workload: 'W1', fields: { cycles_per_s: fixed(300), workers: fixed(64) } }],
      },
    ]);
    expect(table.split('\n')).toEqual([
      '| workload | field | zk-lock-3.0.0 | kazoo-2.8.0 |',
      '|---|---|---:|---:|',
      '| W1 | cycles_per_s | 700 (650 – 720) | 300 |',
      '| W1 | workers | – | 64 |',
      '| W5 | trials | 20 | – |',
    ]);
  });
});
