import { describe, expect, it } from 'vitest';
import { renderTable, summarizeReps } from '../src/summary.js';

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
