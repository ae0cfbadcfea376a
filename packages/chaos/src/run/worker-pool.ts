import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monotonicNow } from '../clock.js';
import type { HistoryEvent } from '../history.js';
import { deriveSeed } from '../prng.js';
import { WORKER_CONFIG_ENV, type FromWorker, type ToWorker, type WorkerConfig } from '../worker/protocol.js';
import { exitOf, spawnTsNode } from './node-process.js';

const WORKER_ENTRY = fileURLToPath(new URL('../worker/main.ts', import.meta.url));

export type WorkerSettings = Omit<WorkerConfig, 'id' | 'seed' | 'historyFile'>;

export interface WorkerPoolOptions {
  readonly count: number;
  readonly seed: number;
  readonly runDir: string;
  readonly settings: WorkerSettings;
  /** Where the pool records kills and crashes (the runner's history). */
  readonly record: (event: HistoryEvent) => void;
  /** Progress lines for a human. */
  readonly say: (line: string) => void;
}

interface Worker {
  readonly id: string;
  readonly slot: number;
  readonly child: ChildProcess;
  readonly exited: Promise<string>;
  readonly logFile: string;
  /** Set before the runner kills it or asks it to finish, so its exit is no crash. */
  expectedExit: boolean;
  /** Resolves the pending `pin` request with the pinned hold's key and session. */
  onPinned: ((pinned: { key: string; session: string }) => void) | undefined;
}

export interface PinnedHold {
  readonly worker: string;
  readonly key: string;
  readonly session: string;
}

const withTimeout = <A>(promise: Promise<A>, ms: number, what: string): Promise<A> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });

/**
 * The chaos workers: separate node processes, one per slot. A killed worker is replaced by a new
 * incarnation (`w<slot>.<n>`) with its own history file. Faults aimed at a holder `pin` one first.
 */
export class WorkerPool {
  readonly #workers = new Map<number, Worker>();
  readonly #incarnations = new Map<number, number>();
  readonly #historyFiles: string[] = [];

  constructor(private readonly options: WorkerPoolOptions) {}

  get historyFiles(): ReadonlyArray<string> {
    return this.#historyFiles;
  }

  /** Starts every slot's first incarnation and waits until each has logged `spawned`. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.count }, (_, slot) => this.spawn(slot)));
  }

  private async spawn(slot: number): Promise<void> {
    const incarnation = this.#incarnations.get(slot) ?? 0;
    this.#incarnations.set(slot, incarnation + 1);
    const id = `w${slot}.${incarnation}`;
    const historyFile = join(this.options.runDir, `${id}.jsonl`);
    const logFile = join(this.options.runDir, `${id}.log`);
    this.#historyFiles.push(historyFile);
    const config: WorkerConfig = {
      ...this.options.settings,
      id,
      seed: deriveSeed(this.options.seed, slot * 1_000 + incarnation),
      historyFile,
    };
    const child = spawnTsNode(WORKER_ENTRY, { [WORKER_CONFIG_ENV]: JSON.stringify(config) }, logFile);
    let spawned: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (spawned = resolve));
    const worker: Worker = {
      id,
      slot,
      child,
      exited: exitOf(child),
      logFile,
      expectedExit: false,
      onPinned: undefined,
    };
    child.on('message', (message: FromWorker) => {
      if (message.type === 'pinned') worker.onPinned?.(message);
      if (message.type === 'event' && message.event.type === 'worker' && message.event.event === 'spawned')
        spawned();
    });
    void worker.exited.then((how) => {
      if (worker.expectedExit && (how === 'SIGKILL' || how === 'code 0')) return;
      const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
      this.options.record({
        type: 'worker',
        ts: monotonicNow(),
        worker: id,
        event: 'crashed',
        detail: `exited with ${how}; log tail: ${tail}`,
      });
      this.options.say(`worker ${id} crashed (${how}); see ${logFile}`);
    });
    this.#workers.set(slot, worker);
    await withTimeout(
      Promise.race([
        ready,
        worker.exited.then((how) => Promise.reject(new Error(`${id} exited with ${how}`))),
      ]),
      30_000,
      `worker ${id} start`,
    );
  }

  private send(worker: Worker, message: ToWorker): void {
    if (worker.child.connected) worker.child.send(message);
  }

  /** The current incarnation of every slot that is still running. */
  private live(): Worker[] {
    return [...this.#workers.values()]
      .filter((w) => w.child.exitCode === null && w.child.signalCode === null)
      .sort((a, b) => a.slot - b.slot);
  }

  /**
   * Asks the worker `choice` picks to keep its next acquisition held until `unpin`, and resolves
   * once it holds. Faults aimed at a holder use this, so they always hit one.
   */
  async pin(choice: number, maxMs: number): Promise<PinnedHold> {
    const workers = this.live();
    const worker = workers[choice % workers.length];
    if (worker === undefined) throw new Error('no worker is running');
    const pinned = new Promise<{ key: string; session: string }>((resolve) => (worker.onPinned = resolve));
    this.send(worker, { type: 'pin', maxMs });
    const { key, session } = await withTimeout(pinned, 20_000, `pinning a hold of ${worker.id}`);
    worker.onPinned = undefined;
    return { worker: worker.id, key, session };
  }

  unpin(id: string): void {
    const worker = this.byId(id);
    if (worker !== undefined) this.send(worker, { type: 'unpin' });
  }

  stall(id: string, ms: number): void {
    const worker = this.byId(id);
    if (worker !== undefined) this.send(worker, { type: 'stall', ms });
  }

  /** SIGKILL, recorded once the process is gone; a new incarnation takes the slot. */
  async kill(id: string): Promise<void> {
    const worker = this.byId(id);
    if (worker === undefined) return;
    worker.expectedExit = true;
    worker.child.kill('SIGKILL');
    await worker.exited;
    this.options.record({ type: 'worker', ts: monotonicNow(), worker: id, event: 'killed' });
    await this.spawn(worker.slot);
  }

  /**
   * Tells every worker to finish (each acquires every key once more) and waits until all have
   * exited by themselves. A worker still alive after `timeoutMs` is stuck (a hung attempt, or a
   * handle the library left open): it is killed and recorded as crashed, which is a finding.
   */
  async drain(timeoutMs: number): Promise<void> {
    const workers = this.live();
    for (const worker of workers) {
      worker.expectedExit = true;
      this.send(worker, { type: 'drain' });
    }
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.all(workers.map((w) => w.exited)), deadline]);
    for (const worker of workers) {
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) continue;
      worker.child.kill('SIGKILL');
      await worker.exited;
      this.options.record({
        type: 'worker',
        ts: monotonicNow(),
        worker: worker.id,
        event: 'crashed',
        detail: `still running ${timeoutMs} ms after it was told to drain and exit; killed`,
      });
    }
  }

  /** Kills whatever still runs (cleanup after a failure). */
  async stop(): Promise<void> {
    const workers = this.live();
    for (const worker of workers) {
      worker.expectedExit = true;
      worker.child.kill('SIGKILL');
    }
    await Promise.all(workers.map((w) => w.exited));
  }

  private byId(id: string): Worker | undefined {
    return this.live().find((w) => w.id === id);
  }
}
