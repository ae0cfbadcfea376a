/**
 * `pnpm --silent bench:one <connectString> <W1|W2|W3|W4|W4h|W5>`: one workload against an existing
 * server, as exactly one JSON line on stdout: `lib`, `workload` and the workload's fields. Other
 * tools drive this command (and run other libraries the same way), so its output is an interface:
 * progress and errors go to stderr only, and a failure exits non-zero with nothing on stdout.
 *
 * `--smoke` (for the test suite) runs the same code with small counts and a 4 s session timeout.
 *
 * It measures zk-lock as built (`pnpm build`), and refuses to run on a build older than its sources.
 */
import { parseArgs } from 'node:util';
import { staleBuilds } from './built-packages.js';
import { ZOOKEEPER_CONTAINER_CHECK_MS } from './container-check.js';
import { floorWorkloadNames, isWorkloadName, workloadNames, type WorkloadName } from './workload.js';

const USAGE = [
  `usage: bench:one [--smoke] [--container-check <ms>] <connectString> <${workloadNames.join('|')}>`,
  `       bench:one --floor [--smoke] [--container-check <ms>] <connectString> <${floorWorkloadNames.join('|')}>`,
  `  --container-check <ms>: how often the server deletes empty containers (its`,
  `    znode.container.checkIntervalMs; default ${ZOOKEEPER_CONTAINER_CHECK_MS}, ZooKeeper's own); W3 waits for it`,
].join('\n');
/** How long the process may stay up after its result before the open handles are reported. */
const EXIT_GRACE_MS = 5_000;

const stderr = (message: string): void => void process.stderr.write(`${message}\n`);

interface Args {
  readonly smoke: boolean;
  /** node-zookeeper-client alone instead of zk-lock (`floor/workloads.ts`). */
  readonly floor: boolean;
  readonly connectString: string;
  readonly workload: WorkloadName;
  readonly containerCheckMs: number;
}

const parse = (): Args | undefined => {
  try {
    const { values, positionals } = parseArgs({
      options: {
        smoke: { type: 'boolean', default: false },
        floor: { type: 'boolean', default: false },
        'container-check': { type: 'string' },
      },
      allowPositionals: true,
    });
    const [connectString, workload, ...rest] = positionals;
    const floor = values.floor === true;
    if (connectString === undefined || workload === undefined || rest.length > 0 || !isWorkloadName(workload))
      return undefined;
    if (floor && !floorWorkloadNames.includes(workload)) return undefined;
    const check = values['container-check'];
    const containerCheckMs =
      check === undefined ? ZOOKEEPER_CONTAINER_CHECK_MS : /^\d+$/.test(check) ? Number(check) : Number.NaN;
    if (!Number.isSafeInteger(containerCheckMs) || containerCheckMs <= 0) return undefined;
    return { smoke: values.smoke === true, floor, connectString, workload, containerCheckMs };
  } catch {
    return undefined; // an unknown option
  }
};

const main = async (): Promise<void> => {
  const args = parse();
  if (args === undefined) {
    stderr(USAGE);
    process.exitCode = 2;
    return;
  }
  const stale = args.floor ? [] : staleBuilds();
  if (stale.length > 0) {
    stderr(
      `bench:one measures zk-lock as it ships, built; run \`pnpm build\` first.\n  ${stale.join('\n  ')}`,
    );
    process.exitCode = 1;
    return;
  }
  // Loaded only now: the workloads import zk-lock, which must not load from a missing build (and
  // the floor's process must not load zk-lock at all).
  const { runWorkload } = await import('./run.js');
  const { lib, workloads } = args.floor ? await import('./floor/registry.js') : await import('./registry.js');
  const { connectString, workload } = args;
  const runnable = workloads[workload];
  if (runnable === undefined) throw new Error(`no ${workload} in this registry`);
  const fields = await runWorkload(runnable, {
    connectString,
    size: args.smoke ? 'smoke' : 'full',
    progress: stderr,
    containerCheckMs: args.containerCheckMs,
  });
  process.stdout.write(`${JSON.stringify({ lib: lib(), workload, ...fields })}\n`);
  // Every lock was destroyed, so the process should end by itself; if the library left a handle
  // open, say so rather than hang the tool that drives this command.
  setTimeout(() => {
    stderr(`bench:one: still running ${EXIT_GRACE_MS} ms after the result: the library left handles open`);
    process.exit(0);
  }, EXIT_GRACE_MS).unref();
};

main().catch((error: unknown) => {
  stderr(`bench:one failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
});
