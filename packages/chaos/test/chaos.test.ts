import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { faultTypes } from '../src/history.js';
import { runChaos } from '../src/run/run-chaos.js';

describe('chaos (issue 6)', () => {
  it('a seeded 3-member run with every fault type shows no violation, locks and elections alike', async () => {
    const lines: string[] = [];
    const { result, runDir } = await runChaos({
      seed: 1,
      faultPhaseMs: 75_000,
      say: (line) => lines.push(line),
    });
    const report = [
      ...lines,
      ...result.violations.map((v) => `${v.check}: ${v.message}`),
      `history and logs: ${runDir}`,
    ].join('\n');
    // The run's figures, in the form `pnpm chaos` prints them, for the test log.
    console.log(`chaos seed 1: ${JSON.stringify(result.figures)}`);

    expect(result.violations, report).toEqual([]);
    for (const type of faultTypes)
      expect(result.figures.faults[type], `${type} injected\n${report}`).toBeGreaterThan(0);
    expect(result.figures.acquisitions).toBeGreaterThan(1_000);
    // The election workload ran too: campaigns won through the modern API on the election key.
    expect(result.figures.leaderships).toBeGreaterThan(100);
    rmSync(runDir, { recursive: true, force: true });
  }, 300_000);
});
