import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MemberPorts, ServerSettings } from './config.js';
import type { FourLetterWord, ServerMode } from './four-letter.js';
import { locateZooKeeper } from './locate.js';
import { MemberProcess, type ZooKeeperMember } from './member.js';
import { freePorts } from './ports.js';
import { forget, track } from './registry.js';
import { waitFor } from './wait-for.js';

export interface StartZooKeeperOptions {
  /** 1 = standalone (default), 3 = an ensemble of three members. */
  readonly servers?: 1 | 3;
  /** Default 500 ms. ZooKeeper bounds session timeouts to [2, 20] ticks unless told otherwise. */
  readonly tickTime?: number;
  /** Default 1000 ms. */
  readonly minSessionTimeout?: number;
  /** Default 60000 ms. */
  readonly maxSessionTimeout?: number;
  /** `super:<base64 sha1>` (see `digest`): a superuser that passes every ACL. */
  readonly superDigest?: string;
  /** Bound on the wait until every member serves (default 60 s; a loaded 2-core CI is slow). */
  readonly startTimeoutMs?: number;
  /** Extra or overriding zoo.cfg lines, e.g. `{ syncLimit: 2 }`. */
  readonly extraConfig?: Readonly<Record<string, string | number>>;
  /** JVM flags; the default keeps each server small and quick to start. */
  readonly jvmArgs?: readonly string[];
  /**
   * Extra Java system properties for every member (`-D<name>=<value>`), e.g.
   * `{ 'znode.container.checkIntervalMs': 100 }` to have empty containers deleted within 100 ms
   * instead of a minute. Names are dotted words; the testkit's own properties cannot be overridden.
   */
  readonly systemProperties?: Readonly<Record<string, string | number>>;
}

export interface ZooKeeper {
  /** Every member's `127.0.0.1:<port>`, comma-separated. */
  readonly connectString: string;
  readonly members: readonly ZooKeeperMember[];
  mode(member: ZooKeeperMember): Promise<ServerMode>;
  /** Waits (bounded, default 30 s) until a running member leads (or serves standalone) and returns it. */
  leader(options?: { timeoutMs?: number }): Promise<ZooKeeperMember>;
  fourLetter(member: ZooKeeperMember, word: FourLetterWord): Promise<string>;
  /** Kills every member and removes the data directories. Safe to call twice. */
  close(): Promise<void>;
}

const DEFAULT_JVM_ARGS = ['-Xms32m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];
const START_ATTEMPTS = 3;

const positiveInteger = (field: string, value: number): number => {
  if (!Number.isInteger(value) || value <= 0) {
    throw new TypeError(`startZooKeeper: ${field} must be a positive integer, got ${String(value)}`);
  }
  return value;
};

const settingsOf = (options: StartZooKeeperOptions): ServerSettings => {
  const settings = {
    tickTime: positiveInteger('tickTime', options.tickTime ?? 500),
    minSessionTimeout: positiveInteger('minSessionTimeout', options.minSessionTimeout ?? 1_000),
    maxSessionTimeout: positiveInteger('maxSessionTimeout', options.maxSessionTimeout ?? 60_000),
    extraConfig: options.extraConfig ?? {},
  };
  if (settings.minSessionTimeout > settings.maxSessionTimeout) {
    throw new RangeError('startZooKeeper: minSessionTimeout must not exceed maxSessionTimeout');
  }
  return settings;
};

/** Properties the testkit sets itself (ownership for the watchdog, credentials, logging). */
const OWN_PROPERTY =
  /^(zk-lock\.testkit\.|zookeeper\.DigestAuthenticationProvider\.superDigest$|log4j\.|logback\.|zookeeper\.log\.dir$|zookeeper\.jmx\.)/;
const PROPERTY_NAME = /^[A-Za-z_][\w-]*(\.[\w-]+)*$/;

/** `systemProperties`, checked: each name a dotted word the testkit does not set itself, each value one line. */
const extraProperties = (given: unknown = {}): Record<string, string> => {
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new TypeError('startZooKeeper: systemProperties must be an object of name → value');
  return Object.fromEntries(
    Object.entries(given).map(([name, value]: [string, unknown]) => {
      if (!PROPERTY_NAME.test(name))
        throw new TypeError(
          `startZooKeeper: systemProperties: ${JSON.stringify(name)} is not a property name`,
        );
      if (OWN_PROPERTY.test(name))
        throw new TypeError(`startZooKeeper: systemProperties: ${name} is set by the testkit itself`);
      const ok = (typeof value === 'string' && !/[\r\n\0]/.test(value)) || Number.isFinite(value);
      if (!ok)
        throw new TypeError(
          `startZooKeeper: systemProperties: ${name} must be a one-line string or a finite number, got ${String(value)}`,
        );
      return [name, String(value)];
    }),
  );
};

const serverCount = (servers: unknown = 1): 1 | 3 => {
  if (servers !== 1 && servers !== 3)
    throw new TypeError(`startZooKeeper: servers must be 1 or 3, got ${String(servers)}`);
  return servers;
};

/** Three ports per member (client, quorum, election); a standalone server uses only the first. */
const allocatePorts = async (count: number): Promise<MemberPorts[]> => {
  const ports = await freePorts(count * 3);
  const port = (index: number): number => ports[index] as number;
  return Array.from({ length: count }, (_, index) => ({
    id: index + 1,
    clientPort: port(index * 3),
    quorumPort: port(index * 3 + 1),
    electionPort: port(index * 3 + 2),
  }));
};

class Ensemble implements ZooKeeper {
  readonly connectString: string;
  #closed = false;

  constructor(
    readonly members: readonly MemberProcess[],
    private readonly rootDir: string,
  ) {
    this.connectString = members.map((member) => member.address).join(',');
    track(this);
  }

  mode(member: ZooKeeperMember): Promise<ServerMode> {
    return member.mode();
  }

  leader({ timeoutMs = 30_000 }: { timeoutMs?: number } = {}): Promise<ZooKeeperMember> {
    return waitFor(
      async () => {
        const modes = await Promise.all(this.members.map((member) => member.mode()));
        return this.members.find((_, index) => modes[index] === 'leader' || modes[index] === 'standalone');
      },
      { timeoutMs, intervalMs: 100, message: 'a leader' },
    );
  }

  fourLetter(member: ZooKeeperMember, word: FourLetterWord): Promise<string> {
    return member.fourLetter(word);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // The server processes are unref'd (they must not keep a test process alive), so waiting for
    // their exit alone would let a script whose last step is `await close()` end early with code 13.
    const keepAlive = setInterval(() => undefined, 1_000);
    try {
      await Promise.all(this.members.map((member) => member.kill()));
    } finally {
      clearInterval(keepAlive);
    }
    rmSync(this.rootDir, { recursive: true, force: true });
    forget(this);
  }

  disposeSync(): void {
    for (const member of this.members) member.disposeSync();
    rmSync(this.rootDir, { recursive: true, force: true });
  }
}

const launch = async (
  options: StartZooKeeperOptions,
  count: 1 | 3,
  settings: ServerSettings,
  extra: Readonly<Record<string, string>>,
): Promise<Ensemble> => {
  const install = locateZooKeeper();
  const rootDir = mkdtempSync(join(tmpdir(), 'zk-lock-testkit-'));
  const ports = await allocatePorts(count);
  const run = process.env['ZK_LOCK_TESTKIT_RUN'];
  const systemProperties: Record<string, string> = {
    ...extra,
    'zk-lock.testkit.owner': String(process.pid),
    ...(run !== undefined && run !== '' ? { 'zk-lock.testkit.run': run } : {}),
    ...(options.superDigest !== undefined
      ? { 'zookeeper.DigestAuthenticationProvider.superDigest': options.superDigest }
      : {}),
  };
  const members = ports.map(
    (memberPorts) =>
      new MemberProcess({
        ports: memberPorts,
        ensemble: ports,
        dir: join(rootDir, `member-${memberPorts.id}`),
        rootDir,
        settings,
        install,
        jvmArgs: options.jvmArgs ?? DEFAULT_JVM_ARGS,
        systemProperties,
        startTimeoutMs: options.startTimeoutMs ?? 60_000,
      }),
  );
  const ensemble = new Ensemble(members, rootDir);
  try {
    await Promise.all(members.map((member) => member.spawn()));
    await Promise.all(members.map((member) => member.awaitServing()));
    return ensemble;
  } catch (error) {
    const clash = members.some((member) => member.portClash());
    await ensemble.close();
    throw Object.assign(error as Error, { portClash: clash });
  }
};

/**
 * Starts a real ZooKeeper (standalone or a 3-member ensemble) on free 127.0.0.1 ports and waits
 * until every member serves. Every server it starts dies with `close()`, with this process's exit,
 * and (through a watchdog) even when this process is killed by SIGKILL.
 */
export const startZooKeeper = async (options: StartZooKeeperOptions = {}): Promise<ZooKeeper> => {
  const count = serverCount(options.servers);
  const settings = settingsOf(options);
  // Bad properties fail before a port is taken.
  const properties = extraProperties(options.systemProperties);
  for (let attempt = 1; ; attempt++) {
    try {
      return await launch(options, count, settings, properties);
    } catch (error) {
      const clash = (error as { portClash?: boolean }).portClash === true;
      if (!clash || attempt >= START_ATTEMPTS) throw error;
    }
  }
};
