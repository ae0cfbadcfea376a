/**
 * `pnpm bench`: starts its own ZooKeeper through the testkit, runs every workload three times,
 * prints a table of medians (with min–max) and writes results/latest.json. Progress on stderr.
 *
 * `--reps N` and `--only W1,W5` run less (for profiling); such partial runs print the table but
 * leave results/latest.json alone. So does `--pin-server`, a diagnostic: the server runs on a CPU
 * of its own (see `server-affinity.ts`), which is not the issue's method.
 *
 * `--peers` compares: kazoo's and Curator's runners (packages/bench/peers) run the same workloads
 * (all but W5) the same way, interleaved with zk-lock's, and so does the floor (W1 and W3 with
 * node-zookeeper-client alone, `floor/`); it prints one column per library and writes
 * results/peers.json instead of latest.json. Before that it installs the peers if needed and runs
 * their runners' smoke test (`peer-smoke.ts`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startZooKeeper } from '@zk-lock/testkit';
import { fourLetterWord } from './four-letter.js';
import { parseConnectString } from './connect-string.js';
import { parseMntr } from './mntr.js';
import { preparePeers } from './peer-smoke.js';
import { provenance } from './provenance.js';
import { runLibraries, warmUpServer } from './repetitions.js';
import { comparisonRunners, zkLockRunner } from './runners.js';
import { BENCH_CONTAINER_CHECK_MS, containerCheckProperties } from './container-check.js';
import { pinToLastCpu } from './server-affinity.js';
import { SESSION_TIMEOUT_MS } from './run.js';
import { renderComparison, renderTable } from './summary.js';
import { isWorkloadName, workloadNames, type WorkloadName } from './workload.js';

const REPS = 3;
/**
 * ZooKeeper as it would run in production (full JIT; the testkit's defaults favour quick starts),
 * except that it deletes empty containers every second rather than every minute: W3's
 * `parents_left` waits for that check.
 */
const SERVER = {
  tickTime: 500,
  jvmArgs: ['-Xms256m', '-Xmx512m'],
  systemProperties: containerCheckProperties(BENCH_CONTAINER_CHECK_MS),
} as const;

/** What warms the server up before the repetitions: its hot request paths, in a few seconds. */
const SERVER_WARM_UP: ReadonlyArray<WorkloadName> = ['W1', 'W2', 'W4'];

const progress = (message: string): void => void process.stderr.write(`${message}\n`);

interface Options {
  readonly reps: number;
  readonly names: ReadonlyArray<WorkloadName>;
  readonly pinServer: boolean;
  /** Run kazoo, Curator and the floor too, for the comparison table. */
  readonly peers: boolean;
  /** Not the full run of the method: results/latest.json stays as it is. */
  readonly partial: boolean;
}

const parseOptions = (): Options => {
  const { values } = parseArgs({
    options: {
      reps: { type: 'string' },
      only: { type: 'string' },
      'pin-server': { type: 'boolean' },
      peers: { type: 'boolean' },
    },
  });
  const reps = values.reps === undefined ? REPS : Number(values.reps);
  if (!Number.isInteger(reps) || reps < 1)
    throw new Error(`--reps: expected a positive integer, got ${values.reps}`);
  const names = values.only === undefined ? [...workloadNames] : values.only.split(',');
  const unknown = names.filter((name) => !isWorkloadName(name));
  if (unknown.length > 0)
    throw new Error(`--only: unknown workload ${unknown.join(', ')} (known: ${workloadNames.join(', ')})`);
  const pinServer = values['pin-server'] === true;
  return {
    reps,
    names: names.filter(isWorkloadName),
    pinServer,
    peers: values.peers === true,
    partial: reps !== REPS || values.only !== undefined || pinServer,
  };
};

const main = async (): Promise<void> => {
  const { reps, names, pinServer, peers, partial } = parseOptions();
  if (peers) preparePeers(progress);
  const started = performance.now();
  const loadBefore = loadavg();
  // Taken before the runs: the figures belong to the code as it was when they started.
  const code = provenance();
  progress(`starting ZooKeeper (tickTime ${SERVER.tickTime} ms) …`);
  const zk = await startZooKeeper(SERVER);
  try {
    const pid = zk.members[0]?.pid;
    const serverCpu = pinServer && pid !== undefined ? pinToLastCpu(pid) : undefined;
    if (serverCpu !== undefined) progress(`ZooKeeper confined to CPU ${serverCpu} (--pin-server)`);
    const [server] = parseConnectString(zk.connectString);
    const version =
      server === undefined ? undefined : parseMntr(await fourLetterWord(server, 'mntr')).get('zk_version');
    progress(`ZooKeeper ${version ?? '?'} at ${zk.connectString}; ${names.length} workloads × ${reps} reps`);
    const options = {
      connectString: zk.connectString,
      size: 'full',
      progress,
      containerCheckMs: BENCH_CONTAINER_CHECK_MS,
    } as const;
    await warmUpServer(SERVER_WARM_UP, options);
    const runners = peers ? [zkLockRunner, ...comparisonRunners] : [zkLockRunner];
    const libraries = await runLibraries(names, reps, options, runners);
    const lib = libraries[0]?.lib ?? '';
    const results = libraries[0]?.results ?? [];
    const durationS = Math.round((performance.now() - started) / 1000);
    const report = {
      lib,
      ...code,
      date: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        node: process.version,
        loadavg_before: loadBefore,
        loadavg_after: loadavg(),
      },
      server: {
        zookeeper: version,
        tickTime: SERVER.tickTime,
        jvmArgs: SERVER.jvmArgs,
        system_properties: SERVER.systemProperties,
        warmed_up_with: SERVER_WARM_UP,
        // Only in diagnostic runs (`--pin-server`); JSON leaves it out when undefined.
        cpu: serverCpu,
      },
      session_timeout_ms: SESSION_TIMEOUT_MS,
      reps,
      duration_s: durationS,
      workloads: results,
      // Only in comparison runs (`--peers`): the other libraries, run the same way.
      peers: peers ? libraries.slice(1) : undefined,
    };
    process.stdout.write(`${peers ? renderComparison(libraries) : renderTable(results)}\n`);
    progress(
      `finished in ${durationS} s (load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')})`,
    );
    if (!partial) {
      const dir = new URL('../results/', import.meta.url);
      mkdirSync(dir, { recursive: true });
      const file = peers ? 'peers.json' : 'latest.json';
      writeFileSync(new URL(file, dir), `${JSON.stringify(report, null, 2)}\n`);
      progress(`wrote packages/bench/results/${file}`);
    }
  } finally {
    await zk.close();
  }
};

main().catch((error: unknown) => {
  progress(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
