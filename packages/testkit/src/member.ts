import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderLog4j, renderLogback, renderZooCfg, type MemberPorts, type ServerSettings } from './config.js';
import { fourLetterWord, modeOf, type FourLetterWord, type ServerMode } from './four-letter.js';
import type { ZooKeeperInstall } from './locate.js';
import { LOOPBACK } from './ports.js';
import { forget, track } from './registry.js';
import { startWatchdog } from './watchdog.js';

/** One ZooKeeper server of a started ensemble (or the single standalone server). */
export interface ZooKeeperMember {
  /** The server's id (`myid`), 1-based. */
  readonly id: number;
  /** Its client port on 127.0.0.1. */
  readonly port: number;
  /** `127.0.0.1:<port>`. */
  readonly address: string;
  /** The JVM's pid while it runs. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** Its directory (config, data, `zookeeper.log`, `console.log`); removed by `close()`. */
  readonly dir: string;
  /** Starts it again after `stop()`/`kill()` (same ports, same data) and waits until it serves. */
  start(): Promise<void>;
  /** Graceful stop (SIGTERM); resolves when the process has exited. */
  stop(): Promise<void>;
  /** Crash (SIGKILL); resolves when the process has exited. */
  kill(): Promise<void>;
  /** Freezes the JVM (SIGSTOP): a hung or partitioned server whose sockets stay open. */
  pause(): void;
  /** Thaws it (SIGCONT). */
  resume(): void;
  /** leader / follower / standalone … from `srvr`; `down` when it does not answer. */
  mode(): Promise<ServerMode>;
  fourLetter(word: FourLetterWord): Promise<string>;
  /** The last lines of its logs, for error messages. */
  logTail(lines?: number): string;
}

export interface MemberLaunch {
  readonly ports: MemberPorts;
  readonly ensemble: readonly MemberPorts[];
  readonly dir: string;
  /** Removed by the watchdog when the process that started the server dies. */
  readonly rootDir: string;
  readonly settings: ServerSettings;
  readonly install: ZooKeeperInstall;
  readonly jvmArgs: readonly string[];
  readonly systemProperties: Readonly<Record<string, string>>;
  readonly startTimeoutMs: number;
}

const SERVING: readonly ServerMode[] = ['leader', 'follower', 'observer', 'standalone'];
const STOP_GRACE_MS = 10_000;
const QUORUM_MAIN = 'org.apache.zookeeper.server.quorum.QuorumPeerMain';

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const tail = (file: string, lines: number): string =>
  existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') : '';

export class MemberProcess implements ZooKeeperMember {
  readonly id: number;
  readonly port: number;
  readonly address: string;
  readonly dir: string;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  #exitStatus = 'not started';
  #paused = false;

  constructor(private readonly launch: MemberLaunch) {
    this.id = launch.ports.id;
    this.port = launch.ports.clientPort;
    this.address = `${LOOPBACK}:${this.port}`;
    this.dir = launch.dir;
    this.writeFiles();
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  private get logFile(): string {
    return join(this.dir, 'zookeeper.log');
  }

  private get consoleFile(): string {
    return join(this.dir, 'console.log');
  }

  private writeFiles(): void {
    const dataDir = join(this.dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'myid'), `${this.id}\n`);
    const { ports, ensemble, settings } = this.launch;
    writeFileSync(join(this.dir, 'zoo.cfg'), renderZooCfg(ports, ensemble, dataDir, settings));
    writeFileSync(join(this.dir, 'log4j.properties'), renderLog4j(this.logFile));
    writeFileSync(join(this.dir, 'logback.xml'), renderLogback(this.logFile));
  }

  private javaArgs(): string[] {
    const { install, jvmArgs, systemProperties } = this.launch;
    const properties = {
      'log4j.configuration': `file:${join(this.dir, 'log4j.properties')}`,
      'logback.configurationFile': join(this.dir, 'logback.xml'),
      'zookeeper.log.dir': this.dir,
      'zookeeper.jmx.log4j.disable': 'true',
      ...systemProperties,
    };
    return [
      ...jvmArgs,
      ...Object.entries(properties).map(([key, value]) => `-D${key}=${value}`),
      '-cp',
      install.classPath.join(':'),
      QUORUM_MAIN,
      join(this.dir, 'zoo.cfg'),
    ];
  }

  /** Starts the JVM without waiting for it to serve (an ensemble starts all members first). */
  async spawn(): Promise<void> {
    if (this.#child !== undefined) return;
    const output = openSync(this.consoleFile, 'a');
    const child = spawn(this.launch.install.java, this.javaArgs(), {
      cwd: this.dir,
      stdio: ['ignore', output, output],
    });
    closeSync(output);
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
    } catch (error) {
      throw new Error(`cannot start ${this.launch.install.java}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    this.#child = child;
    this.#paused = false;
    track(this);
    this.#exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.#exitStatus = signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
        this.#child = undefined;
        forget(this);
        resolve();
      }),
    );
    child.unref();
    startWatchdog(child.pid as number, [this.launch.rootDir]);
  }

  /** Waits until `ruok` answers `imok` and `srvr` reports a serving mode (a leader was elected). */
  async awaitServing(timeoutMs = this.launch.startTimeoutMs): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last: ServerMode = 'down';
    while (Date.now() < deadline) {
      if (!this.running) throw this.failure(`${this.#exitStatus} while starting`);
      const ok = await fourLetterWord(this.port, 'ruok', 1_000).catch(() => '');
      last = ok === 'imok' ? await modeOf(this.port, 1_000) : 'down';
      if (SERVING.includes(last)) return;
      await delay(100);
    }
    throw this.failure(`not serving after ${timeoutMs} ms (last mode: ${last})`);
  }

  async start(): Promise<void> {
    await this.spawn();
    await this.awaitServing();
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined) return;
    child.kill('SIGTERM');
    if (this.#paused) child.kill('SIGCONT');
    this.#paused = false;
    const graceful = await Promise.race([
      this.#exited.then(() => true),
      delay(STOP_GRACE_MS).then(() => false),
    ]);
    if (!graceful) await this.kill();
  }

  async kill(): Promise<void> {
    this.#child?.kill('SIGKILL');
    this.#paused = false;
    await this.#exited;
  }

  pause(): void {
    if (this.#child === undefined) throw new Error(`member ${this.id} is not running`);
    this.#child.kill('SIGSTOP');
    this.#paused = true;
  }

  resume(): void {
    if (this.#child === undefined) throw new Error(`member ${this.id} is not running`);
    this.#child.kill('SIGCONT');
    this.#paused = false;
  }

  mode(): Promise<ServerMode> {
    return modeOf(this.port);
  }

  fourLetter(word: FourLetterWord): Promise<string> {
    return fourLetterWord(this.port, word);
  }

  logTail(lines = 30): string {
    return [tail(this.logFile, lines), tail(this.consoleFile, lines)]
      .filter((text) => text !== '')
      .join('\n');
  }

  /** For the exit hook: no waiting is possible there. */
  disposeSync(): void {
    this.#child?.kill('SIGKILL');
  }

  /** Whether its log says a port was taken (another process won the race for a free port). */
  portClash(): boolean {
    return /Address already in use|BindException/.test(this.logTail(200));
  }

  private failure(message: string): Error {
    return new Error(
      `ZooKeeper member ${this.id} (${this.address}) ${message}\n--- log tail of ${this.dir} ---\n${this.logTail()}`,
    );
  }
}
