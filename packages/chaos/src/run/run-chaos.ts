import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startZooKeeper, type ZooKeeper } from '@zk-lock/testkit';
import { checkHistory, type CheckResult } from '../check/index.js';
import { monotonicNow, wallToMonotonic } from '../clock.js';
import { encodeEvent, mergeHistories, type HistoryEvent } from '../history.js';
import { planFaults } from '../schedule.js';
import type { KeySpec } from '../worker/protocol.js';
import { awaitEnsembleServing, injectFault } from './faults.js';
import { finalScan } from './final-scan.js';
import { historyWriter, readHistory } from './history-file.js';
import { sessionExpiries } from './server-log.js';
import { WorkerPool } from './worker-pool.js';

export interface ChaosOptions {
  readonly seed: number;
  /** Faults start within this span after the workers are up. */
  readonly faultPhaseMs: number;
  readonly workers?: number;
  readonly sessionTimeoutMs?: number;
  /** Progress lines for a human (default: none). */
  readonly say?: (line: string) => void;
}

export interface ChaosRun {
  readonly result: CheckResult;
  /** Histories, worker logs, server logs and the merged `history.jsonl` of the run. */
  readonly runDir: string;
}

const PREFIX = 'chaos';
export const chaosKeys: ReadonlyArray<KeySpec> = [
  { key: 'mutex-0', kind: 'mutex', max: 1 },
  { key: 'mutex-1', kind: 'mutex', max: 1 },
  { key: 'sem-0', kind: 'semaphore', max: 2 },
  { key: 'sem-1', kind: 'semaphore', max: 2 },
  { key: 'election-0', kind: 'election', max: 1 },
];
const DRAIN_TIMEOUT_MS = 20_000;
/** Log lines have ms resolution and the wall→monotonic mapping is read once: allow 2 ms. */
const LOG_TOLERANCE_MS = 2;

const sleepUntil = (ts: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, ts - monotonicNow())));

/** Keeps each member's log in the run directory (the testkit removes member directories on close). */
const saveServerLogs = (zk: ZooKeeper, runDir: string): string => {
  let text = '';
  for (const member of zk.members) {
    const log = join(member.dir, 'zookeeper.log');
    if (!existsSync(log)) continue;
    copyFileSync(log, join(runDir, `zk${member.id}.log`));
    text += readFileSync(log, 'utf8');
  }
  return text;
};

/**
 * One chaos run: a 3-member ensemble, workers contending on mutex and semaphore keys, the seeded
 * fault plan, heal, drain, the final scan, and the checker's verdict over the merged history.
 */
export const runChaos = async (options: ChaosOptions): Promise<ChaosRun> => {
  const say = options.say ?? (() => undefined);
  const sessionTimeoutMs = options.sessionTimeoutMs ?? 4_000;
  const runDir = mkdtempSync(join(tmpdir(), 'zk-lock-chaos-'));
  const record: (event: HistoryEvent) => void = historyWriter(join(runDir, 'runner.jsonl'));
  const toMonotonic = wallToMonotonic();

  say(`chaos seed ${options.seed}: starting a 3-member ensemble (run dir ${runDir})`);
  const zk = await startZooKeeper({ servers: 3, tickTime: 500 });
  const pool = new WorkerPool({
    count: options.workers ?? 6,
    seed: options.seed,
    runDir,
    record,
    say,
    settings: {
      connectString: zk.connectString,
      pathPrefix: PREFIX,
      sessionTimeoutMs,
      keys: chaosKeys,
      holdMs: [5, 40],
      thinkMs: [0, 20],
      lockTimeoutMs: 3_000,
      drainTimeoutMs: DRAIN_TIMEOUT_MS,
    },
  });
  let serverLog = '';
  try {
    await pool.start();
    const plan = planFaults({ seed: options.seed, faultPhaseMs: options.faultPhaseMs, sessionTimeoutMs });
    const start = monotonicNow();
    record({ type: 'phase', ts: start, phase: 'start' });
    say(`workers up; ${plan.length} faults planned over ${Math.round(options.faultPhaseMs / 1000)} s`);
    const ctx = {
      zk,
      pool,
      keys: chaosKeys,
      parentOf: (key: string) => `/locks/${PREFIX}/${key}`,
      record,
      say,
    };
    for (const [index, fault] of plan.entries()) {
      await sleepUntil(start + fault.atMs);
      say(
        `fault ${index + 1}/${plan.length} at ${((monotonicNow() - start) / 1000).toFixed(1)} s: ${fault.type}`,
      );
      try {
        await injectFault(ctx, fault);
      } catch (error) {
        // E.g. no worker acquires any more: stop injecting, but still drain, scan and judge.
        const detail = `${fault.type}: ${(error as Error).message}`;
        record({ type: 'phase', ts: monotonicNow(), phase: 'aborted', detail });
        say(`fault plan aborted (${detail})`);
        break;
      }
    }
    await awaitEnsembleServing(zk);
    record({ type: 'phase', ts: monotonicNow(), phase: 'healed' });
    say('faults healed; draining (every worker acquires every key once more)');
    await pool.drain(chaosKeys.length * DRAIN_TIMEOUT_MS + 15_000);
    say('workers ended; final scan');
    const scan = await finalScan(zk, `/locks/${PREFIX}`, 2 * sessionTimeoutMs + 2_000);
    record({ type: 'phase', ts: monotonicNow(), phase: 'end' });
    serverLog = saveServerLogs(zk, runDir);

    const history = mergeHistories([
      readHistory(join(runDir, 'runner.jsonl')),
      ...pool.historyFiles.map(readHistory),
    ]);
    writeFileSync(join(runDir, 'history.jsonl'), history.map(encodeEvent).join('\n') + '\n');
    const expiries = new Map([...sessionExpiries(serverLog)].map(([id, wall]) => [id, toMonotonic(wall)]));
    const result = checkHistory({ history, scan, expiries, logToleranceMs: LOG_TOLERANCE_MS });
    return { result, runDir };
  } finally {
    await pool.stop();
    if (serverLog === '') saveServerLogs(zk, runDir);
    await zk.close();
  }
};
