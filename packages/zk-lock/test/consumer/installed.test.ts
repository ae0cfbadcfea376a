import { readdirSync, readFileSync, statSync, writeFileSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateZooKeeper, startTcpProxy, withDeadline, type ZooKeeperMember } from '@zk-lock/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockNodes, useZooKeeper } from '../support/zookeeper.js';
import { startDriver, type Driver } from './support/driver.js';
import { createConsumerProject, PUBLIC_PACKAGES, repo, type ConsumerProject } from './support/project.js';

/*
 * The packages as `npm install` gives them (issue 18): every public package is packed, the tarballs
 * are installed into a fresh npm project outside the workspace (registry dependencies only, plus
 * the user's own stock node-zookeeper-client 1.1.3), and used there by plain Node, the CLI and tsc,
 * and by a user's process against a real server. One install for the whole file.
 */

const server = useZooKeeper();
let project: ConsumerProject;
const drivers: Driver[] = [];

beforeAll(async () => {
  project = await createConsumerProject(['node-zookeeper-client@1.1.3']);
}, 600_000);

afterAll(async () => {
  for (const driver of drivers) driver.kill();
  project?.remove();
});

const FORK = '@zk-lock/node-zookeeper-client';
const installed = (name: string): string => join(project.dir, 'node_modules', name);

/** Every file under `dir`, relative to it. */
const filesIn = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) =>
    statSync(join(dir, path)).isFile(),
  );

const node = async (file: string, source: string): Promise<string> => {
  writeFileSync(join(project.dir, file), source);
  return (await project.run(process.execPath, [file])).stdout.trim();
};

const USAGE = `
  const lock = new ZookeeperLock({ serverLocator: '127.0.0.1:2181' });
  console.log(JSON.stringify({
    state: lock.state,
    lost: ZookeeperLock.Signals.LOST,
    timeoutError: new ZookeeperLockTimeoutError('timeout', '/locks/k', 1) instanceof Error,
    sequence: ZookeeperLock.getSequenceNumber('lock-0000000007'),
    names: [ZookeeperLock.name, lock.constructor.name, new ZookeeperLockTimeoutError('t', '/locks/k', 1).name],
    modern: typeof createLocks,
  }));
`;

// The class names too: a bundler renames a class whose body names it (`class _ZookeeperLock`).
const EXPECTED = {
  state: 'UNLOCKED',
  lost: 'lost',
  timeoutError: true,
  sequence: 7,
  names: ['ZookeeperLock', 'ZookeeperLock', 'ZookeeperLockTimeoutError'],
  modern: 'function',
};

describe('the public packages, packed and installed with npm into a fresh project', () => {
  it('are installed as npm users get them: real directories, the fork once, beside the user’s own client', async () => {
    for (const name of Object.keys(PUBLIC_PACKAGES))
      expect(lstatSync(installed(name)).isDirectory(), name).toBe(true);
    const copies = filesIn(join(project.dir, 'node_modules')).filter((file) =>
      file.endsWith(`${FORK}/package.json`),
    );
    expect(copies).toEqual([`${FORK}/package.json`]);
    expect(readPackage(installed(FORK), true).version).toBe(
      readPackage('packages/node-zookeeper-client').version,
    );
    expect(readPackage(installed('node-zookeeper-client'), true).version).toBe('1.1.3');
  });

  it("work with require('zk-lock'), import … from 'zk-lock' and npx zk-lock --help", async () => {
    const required = `const { ZookeeperLock, ZookeeperLockTimeoutError, createLocks } = require('zk-lock');\n`;
    const imported = `import { ZookeeperLock, ZookeeperLockTimeoutError, createLocks } from 'zk-lock';\n`;
    expect(JSON.parse(await node('use.cjs', required + USAGE))).toEqual(EXPECTED);
    expect(JSON.parse(await node('use.mjs', imported + USAGE))).toEqual(EXPECTED);
    const help = await project.run('npx', ['--no-install', 'zk-lock', '--help']);
    expect(help.stdout).toContain('Usage: zk-lock');
    expect(help.stdout).toContain('demo');
  });

  it('ship as node-zookeeper-client code only the fork, byte for byte the files its tests ran', () => {
    const fork = installed(FORK);
    const workspace = join(repo, 'packages/node-zookeeper-client');
    const shipped = filesIn(fork).sort();
    expect(shipped).toContain('lib/ConnectionManager.js');
    // The code byte for byte; the manifest as pnpm pack writes it (reformatted, same content).
    for (const file of shipped.filter((name) => name !== 'package.json'))
      expect(readFileSync(join(fork, file)), file).toEqual(readFileSync(join(workspace, file)));
    expect(readPackage(fork, true)).toEqual(readPackage('packages/node-zookeeper-client'));
    // The library's builds load the fork from where npm put it, and carry no copy of their own.
    for (const from of ['zk-lock', '@zk-lock/zookeeper'])
      expect(createRequire(join(installed(from), 'package.json')).resolve(FORK), from).toBe(
        join(fork, 'index.js'),
      );
    const clientCode = /findNextServer|onSocketData/;
    const copies = filesIn(join(project.dir, 'node_modules'))
      .filter((file) => !file.startsWith(`${FORK}/`) && !file.startsWith('node-zookeeper-client/'))
      .filter((file) => clientCode.test(readFileSync(join(project.dir, 'node_modules', file), 'utf8')));
    expect(copies).toEqual([]);
  });

  it(
    'type-check a strict consumer without skipLibCheck: node16 and bundler resolution, ESM and CommonJS, both APIs',
    { timeout: 300_000 },
    async () => {
      const usage = (zkLock: string) => `
      const config: ZookeeperLockConfiguration = {
        serverLocator: () => Promise.resolve({ host: '127.0.0.1', port: 2181 }),
        pathPrefix: 'foo/bar',
        maxConcurrentHolders: 2,
      };
      ${zkLock}ZookeeperLock.initialize(config);
      export const locked: Promise<${zkLock}ZookeeperLock> = ${zkLock}ZookeeperLock.lock('key', 1000);
      const lock = ${zkLock}ZookeeperLock.lockFactory();
      lock.on('lost', () => undefined);
      export const token: bigint | undefined = lock.fencingToken;
      export const lockPath: string = new ${zkLock}ZookeeperLockTimeoutError('timeout', '/locks/k', 1).lockPath;
      // 2.x callers use the raw client: typed by the fork's own declarations.
      const client = lock.client;
      if (client !== null) {
        const session: Buffer = client.getSessionId();
        client.exists('/locks', (error, stat) => console.log(session, error?.message, stat?.version));
        client.getChildren('/locks', (error, children) => console.log(error?.name, children.length));
      }
      const locks = ${zkLock}createLocks({ connect: '127.0.0.1:2181', pathPrefix: 'jobs' });
      export const work = async (): Promise<bigint> => {
        await using held = await locks.acquire('nightly', { timeout: 5000 });
        return locks.withLock('other', (signal) => (signal.aborted ? 0n : held.fencingToken));
      };
    `;
      const esm = `import { ZookeeperLock, ZookeeperLockTimeoutError, createLocks, type ZookeeperLockConfiguration } from 'zk-lock';\n${usage('')}`;
      const cjs = `import zkLock = require('zk-lock');\ntype ZookeeperLockConfiguration = zkLock.ZookeeperLockConfiguration;\n${usage('zkLock.')}`;
      writeFileSync(join(project.dir, 'use-esm.mts'), esm);
      writeFileSync(join(project.dir, 'use-cjs.cts'), cjs);
      writeFileSync(join(project.dir, 'use-bundler-esm.ts'), esm);
      writeFileSync(join(project.dir, 'use-bundler-cjs.ts'), cjs);
      const configs = {
        node16: {
          compilerOptions: { module: 'node16', moduleResolution: 'node16' },
          files: ['use-esm.mts', 'use-cjs.cts'],
        },
        bundler: {
          compilerOptions: { module: 'preserve', moduleResolution: 'bundler' },
          files: ['use-bundler-esm.ts', 'use-bundler-cjs.ts'],
        },
      };
      const tsc = join(repo, 'node_modules/typescript/bin/tsc');
      for (const [name, { compilerOptions, files }] of Object.entries(configs)) {
        const tsconfig = {
          compilerOptions: {
            ...compilerOptions,
            target: 'ES2022',
            strict: true,
            noEmit: true,
            types: ['node'],
          },
          files,
        };
        writeFileSync(join(project.dir, `tsconfig.${name}.json`), JSON.stringify(tsconfig));
        // The resolution is traced: each file must have found the declarations of its module system.
        const { stdout } = await project
          .run(process.execPath, [tsc, '-p', `tsconfig.${name}.json`, '--traceResolution'])
          .catch((error: { stdout: string }) => ({ stdout: error.stdout }));
        const errors = stdout.split('\n').filter((line) => /error TS\d+/.test(line));
        expect(errors, name).toEqual([]);
        expect(stdout, name).toContain(
          `'zk-lock' was successfully resolved to '${installed('zk-lock/dist/index.d.ts')}'`,
        );
        expect(stdout, name).toContain(
          `'zk-lock' was successfully resolved to '${installed('zk-lock/dist/index.d.cts')}'`,
        );
      }
    },
  );

  it('zk-lock demo without Java or without ZooKeeper’s jar says what it needs and exits 125', async () => {
    const bin = installed('zk-lock/dist/cli.cjs');
    const demo = (env: NodeJS.ProcessEnv) =>
      project.run(process.execPath, [bin, 'demo'], { env }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );
    const noJar = await demo({
      ZOOKEEPER_JAR: join(project.dir, 'missing/zookeeper.jar'),
      ZOOKEEPER_HOME: '',
    });
    expect(noJar.code).toBe(125);
    expect(noJar.stderr).toContain(
      'demo cannot start a local ZooKeeper: ZOOKEEPER_JAR points to a missing file',
    );
    const emptyPath = mkdtempSync(join(tmpdir(), 'zk-lock-no-java-'));
    try {
      const noJava = await demo({ PATH: emptyPath, JAVA_HOME: '', ZOOKEEPER_JAR: locateZooKeeper().jar });
      expect(noJava.code).toBe(125);
      expect(noJava.stderr).toContain('demo cannot start a local ZooKeeper: Java does not run');
      for (const { stderr } of [noJar, noJava]) {
        expect(stderr).toContain('Java 17 or later');
        expect(stderr).toContain('ZOOKEEPER_JAR');
        expect(stderr).toContain('zk-lock demo --connect');
      }
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });
});

/** A driver (a user's process in the consumer project) for one scenario; `exit` must end it cleanly. */
const driver = async (): Promise<Driver> => {
  const started = await startDriver(project);
  drivers.push(started);
  return started;
};

const finish = async (process: Driver): Promise<void> => {
  expect(await process.request('exit')).toMatchObject({ ok: true });
  expect(await withDeadline('the consumer’s process exits by itself', 20_000, process.exited)).toEqual({
    code: 0,
    signal: null,
    stderr: '',
  });
};

let prefixes = 0;
const prefix = (): string => `consumer-${process.pid}-${++prefixes}`;

describe('a user’s process in the consumer project, against a real server', () => {
  const member = (): ZooKeeperMember => server().zk.members[0] as ZooKeeperMember;

  it('acquires and releases through both APIs; the user’s own node-zookeeper-client stays untouched', async () => {
    const user = await driver();
    const pathPrefix = prefix();
    const config = { serverLocator: server().zk.connectString, pathPrefix };
    const held = await user.request('lock', { key: 'k', config });
    expect(held).toMatchObject({ ok: true, state: 'LOCKED', path: `/locks/${pathPrefix}/k` });
    expect(await lockNodes(server().observer, `/locks/${pathPrefix}/k`)).toEqual([held['node']]);
    expect(await user.request('unlock', { key: 'k' })).toMatchObject({ ok: true });
    expect(await lockNodes(server().observer, `/locks/${pathPrefix}/k`)).toEqual([]);
    expect(
      await user.request('withLock', { connect: server().zk.connectString, key: 'modern' }),
    ).toMatchObject({
      ok: true,
      aborted: false,
      token: expect.stringMatching(/^\d+$/),
    });
    expect(await user.request('untouched')).toEqual({
      id: expect.any(Number),
      ok: true,
      create: true,
      prototype: true,
      unknownCode: 'Unknown code: -127',
    });
    await finish(user);
  });

  it('a server stopped and started under a held lock: no crash, the lock is kept', async () => {
    const user = await driver();
    const pathPrefix = prefix();
    const config = { serverLocator: server().zk.connectString, pathPrefix, sessionTimeout: 20_000 };
    const held = await user.request('lock', { key: 'restart', config });
    expect(held).toMatchObject({ ok: true, state: 'LOCKED' });
    // As zk-lock 2.x did, and 2.x callers may do with lock.client: the double-reconnect crash of
    // stock node-zookeeper-client 1.1.3.
    expect(await user.request('reconnectLike2x', { key: 'restart' })).toMatchObject({ ok: true });
    await member().stop();
    await user.event('restart', 'suspended');
    await member().start();
    await Promise.race([user.event('restart', 'reconnected'), user.event('restart', 'lost')]);
    expect(user.events('restart')).toEqual(['suspended', 'reconnected']);
    expect(await user.request('state', { key: 'restart' })).toMatchObject({ state: 'LOCKED' });
    await server().renewObserver();
    expect(await lockNodes(server().observer, `/locks/${pathPrefix}/restart`)).toEqual([held['node']]);
    await finish(user);
    expect(await lockNodes(server().observer, `/locks/${pathPrefix}/restart`)).toEqual([]);
  });

  it('an unreachable server (the proxy drops every byte): lost on time', async () => {
    const proxy = await startTcpProxy({ target: member().address });
    try {
      const user = await driver();
      const sessionTimeout = 4000;
      const config = { serverLocator: proxy.address, pathPrefix: prefix(), sessionTimeout };
      expect(await user.request('lock', { key: 'silent', config })).toMatchObject({
        ok: true,
        state: 'LOCKED',
      });
      const silentSince = performance.now();
      proxy.blackhole();
      const lostAt = await user.event('silent', 'lost');
      // The session timeout runs from the last evidence, which precedes the silence.
      expect(lostAt - silentSince).toBeLessThanOrEqual(sessionTimeout + 1000);
      expect(user.events('silent')).toEqual(['suspended', 'lost']);
      expect(await user.request('state', { key: 'silent' })).toMatchObject({ state: 'LOST' });
      await finish(user);
    } finally {
      await proxy.close();
    }
  });

  it('a reply with an error code the client has no name for: a typed error, and the process carries on', async () => {
    const proxy = await startTcpProxy({ target: member().address });
    try {
      const user = await driver();
      const config = { serverLocator: proxy.address, pathPrefix: prefix() };
      // A held lock keeps the shared session, which then knows the parent of `k`: the next lock on
      // `k` sends the lock node's create alone, and that create's reply gets the unknown code.
      expect(await user.request('lock', { key: 'hold', config })).toMatchObject({ ok: true });
      expect(await user.request('lock', { key: 'k', config })).toMatchObject({ ok: true });
      expect(await user.request('unlock', { key: 'k' })).toMatchObject({ ok: true });
      const THROTTLED_OP = -127;
      const rewritten = proxy.failNextReply(1, THROTTLED_OP); // create
      const failed = await user.request('lock', { key: 'k', config });
      await rewritten;
      expect(failed).toMatchObject({
        ok: false,
        error: { typed: true, name: 'ZookeeperLockZooKeeperError', zkCode: 'UNKNOWN' },
      });
      expect(failed.error?.message).toContain('-127');
      expect(await user.request('lock', { key: 'after', config })).toMatchObject({
        ok: true,
        state: 'LOCKED',
      });
      await finish(user);
    } finally {
      await proxy.close();
    }
  });
});

/** A package.json: the workspace's (`packages/...`) or an installed one's. */
function readPackage(dir: string, absolute = false): { readonly version: string } {
  return JSON.parse(readFileSync(join(absolute ? dir : join(repo, dir), 'package.json'), 'utf8')) as {
    version: string;
  };
}
