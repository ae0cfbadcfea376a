import { runInChild } from './child-run.js';
import { summarizeReps, type FieldSummary } from './summary.js';
import { workloadTitles, type Fields, type Size, type WorkloadName } from './workload.js';

export interface WorkloadResult {
  readonly workload: WorkloadName;
  readonly title: string;
  /** One result per repetition, in order. */
  readonly runs: ReadonlyArray<Fields>;
  readonly fields: Readonly<Record<string, FieldSummary>>;
}

export interface RepetitionOptions {
  readonly connectString: string;
  readonly size: Size;
  readonly progress: (message: string) => void;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/**
 * Runs `names` once each against the fresh server, unrecorded. ZooKeeper's JIT compiles its request
 * path during the first few thousand requests: without this, the first repetition of every
 * workload measured a half-warm server (W1 586 cycles/s against 692 and 783 in the next two).
 * The client is not warmed: every repetition is still a new `bench:one` process.
 */
export const warmUpServer = async (
  names: ReadonlyArray<WorkloadName>,
  options: RepetitionOptions,
): Promise<void> => {
  for (const name of names) {
    options.progress(`[server warm-up] ${name} ${workloadTitles[name]} …`);
    await runInChild(name, options);
  }
};

/**
 * Run `reps` repetitions of the given workloads, each run a `bench:one` process. Repetition is
 * the outer loop, so slow drift of a shared machine spreads over all workloads instead of biasing
 * one. Returns the library's name (as the runs reported it) and each workload's runs and summary.
 */
export const runRepetitions = async (
  names: ReadonlyArray<WorkloadName>,
  reps: number,
  options: RepetitionOptions,
): Promise<{ readonly lib: string; readonly results: ReadonlyArray<WorkloadResult> }> => {
  const runs = new Map<WorkloadName, Fields[]>(names.map((name) => [name, []]));
  const libs = new Set<string>();
  const started = performance.now();
  for (let rep = 1; rep <= reps; rep++) {
    for (const name of names) {
      const tag = `[rep ${rep}/${reps}] ${name} ${workloadTitles[name]}`;
      options.progress(`${tag} …`);
      const t0 = performance.now();
      const { lib, fields } = await runInChild(name, options);
      libs.add(lib);
      runs.get(name)?.push(fields);
      const figures = Object.entries(fields)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      const took = `${seconds(performance.now() - t0)}, total ${seconds(performance.now() - started)}`;
      options.progress(`${tag} done (${took}): ${figures}`);
    }
  }
  return {
    lib: [...libs].join(','),
    results: names.map((name) => {
      const done = runs.get(name) ?? [];
      return { workload: name, title: workloadTitles[name], runs: done, fields: summarizeReps(done) };
    }),
  };
};
