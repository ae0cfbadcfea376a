import { runInChild } from './child-run.js';
import { zkLockRunner, type Runner } from './runners.js';
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
  /** The server's container check interval, ms (see `container-check.ts`). */
  readonly containerCheckMs: number;
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

/** One library's results: its name as its runs reported it (e.g. `kazoo-2.8.0`) and each workload's. */
export interface LibraryResults {
  readonly runner: string;
  readonly lib: string;
  readonly results: ReadonlyArray<WorkloadResult>;
}

/**
 * Run `reps` repetitions of the given workloads with each runner, every run its own process.
 * Repetition is the outer loop and the libraries alternate within it (W1 of each, then W2 of
 * each, ...), so slow drift of a shared machine spreads over all workloads and all libraries
 * instead of biasing one. A runner skips the workloads it does not implement.
 */
export const runLibraries = async (
  names: ReadonlyArray<WorkloadName>,
  reps: number,
  options: RepetitionOptions,
  runners: ReadonlyArray<Runner>,
): Promise<ReadonlyArray<LibraryResults>> => {
  const runs = new Map(runners.map((r) => [r, new Map<WorkloadName, Fields[]>()]));
  const libs = new Map(runners.map((r) => [r, new Set<string>()]));
  const started = performance.now();
  for (let rep = 1; rep <= reps; rep++) {
    for (const name of names) {
      for (const runner of runners.filter((r) => r.workloads.includes(name))) {
        const who = runners.length > 1 ? ` ${runner.name}` : '';
        const tag = `[rep ${rep}/${reps}]${who} ${name} ${workloadTitles[name]}`;
        options.progress(`${tag} …`);
        const t0 = performance.now();
        const { lib, fields } = await runInChild(name, options, runner);
        libs.get(runner)?.add(lib);
        const byName = runs.get(runner);
        byName?.set(name, [...(byName.get(name) ?? []), fields]);
        const figures = Object.entries(fields)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ');
        const took = `${seconds(performance.now() - t0)}, total ${seconds(performance.now() - started)}`;
        options.progress(`${tag} done (${took}): ${figures}`);
      }
    }
  }
  return runners.map((runner) => ({
    runner: runner.name,
    lib: [...(libs.get(runner) ?? [])].join(','),
    results: names
      .filter((name) => runner.workloads.includes(name))
      .map((name) => {
        const done = runs.get(runner)?.get(name) ?? [];
        return { workload: name, title: workloadTitles[name], runs: done, fields: summarizeReps(done) };
      }),
  }));
};

/** zk-lock alone: `runLibraries` with its own runner (the method). */
export const runRepetitions = async (
  names: ReadonlyArray<WorkloadName>,
  reps: number,
  options: RepetitionOptions,
): Promise<{ readonly lib: string; readonly results: ReadonlyArray<WorkloadResult> }> => {
  const [own] = await runLibraries(names, reps, options, [zkLockRunner]);
  return { lib: own?.lib ?? '', results: own?.results ?? [] };
};
