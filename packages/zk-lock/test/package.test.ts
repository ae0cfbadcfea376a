import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/*
 * The published shape: `zk-lock` and its two workspace dependencies are packed with `pnpm pack`
 * (workspace versions rewritten, only the `files` that ship) and unpacked into node_modules of a
 * directory outside the workspace, their third-party dependencies are linked in, and plain Node
 * and tsc consume it from there with require, import and TypeScript. The packages are built
 * first when their build is missing or older than their sources (`npm test` has just built them).
 */

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../..', import.meta.url));
const WORKSPACE_PACKAGES: Record<string, string> = {
  '@zk-lock/core': 'packages/core',
  '@zk-lock/zookeeper': 'packages/zookeeper',
  'zk-lock': 'packages/zk-lock',
};

let consumer: string;

const node = async (file: string): Promise<string> =>
  (await run(process.execPath, [file], { cwd: consumer, timeout: 30_000 })).stdout.trim();

const newest = (path: string): number =>
  statSync(path).isDirectory()
    ? Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
    : statSync(path).mtimeMs;

const stale = (dir: string): boolean => {
  const built = statSync(join(repo, dir, 'dist/index.js'), { throwIfNoEntry: false });
  return built === undefined || newest(join(repo, dir, 'src')) > built.mtimeMs;
};

const link = (name: string, from: string): void => {
  const target = join(consumer, 'node_modules', name);
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(realpathSync(from), target, 'dir');
};

const install = async (name: string, dir: string, packs: string): Promise<void> => {
  const source = join(repo, dir);
  const { stdout } = await run('pnpm', ['pack', '--pack-destination', packs], {
    cwd: source,
    timeout: 60_000,
  });
  const tarball = stdout.trim().split('\n').pop() as string;
  const target = join(consumer, 'node_modules', name);
  mkdirSync(target, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
  const manifest = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    if (!(dependency in WORKSPACE_PACKAGES)) link(dependency, join(source, 'node_modules', dependency));
  }
};

beforeAll(async () => {
  if (Object.values(WORKSPACE_PACKAGES).some(stale))
    await run('pnpm', ['--filter', 'zk-lock...', 'run', 'build'], { cwd: repo, timeout: 240_000 });
  consumer = mkdtempSync(join(tmpdir(), 'zk-lock-consumer-'));
  const packs = join(consumer, 'packs');
  for (const [name, dir] of Object.entries(WORKSPACE_PACKAGES)) await install(name, dir, packs);
  // Types a TypeScript consumer has: Node's, and those of the client `lock.client` exposes.
  link('@types/node', join(repo, 'node_modules/@types/node'));
  link(
    '@types/node-zookeeper-client',
    join(repo, 'packages/zk-lock/node_modules/@types/node-zookeeper-client'),
  );
}, 300_000);

afterAll(() => {
  if (consumer !== undefined) rmSync(consumer, { recursive: true, force: true });
});

const USAGE = `
  const lock = new ZookeeperLock({ serverLocator: '127.0.0.1:2181' });
  console.log(JSON.stringify({
    state: lock.state,
    lost: ZookeeperLock.Signals.LOST,
    timeoutError: new ZookeeperLockTimeoutError('timeout', '/locks/k', 1) instanceof Error,
    sequence: ZookeeperLock.getSequenceNumber('lock-0000000007'),
    names: [ZookeeperLock.name, lock.constructor.name, new ZookeeperLockTimeoutError('t', '/locks/k', 1).name],
  }));
`;

// The class names too: a bundler renames a class whose body names it (\`class _ZookeeperLock\`).
const EXPECTED = {
  state: 'UNLOCKED',
  lost: 'lost',
  timeoutError: true,
  sequence: 7,
  names: ['ZookeeperLock', 'ZookeeperLock', 'ZookeeperLockTimeoutError'],
};

describe('the built package, installed outside the workspace', () => {
  it("works with require('zk-lock')", async () => {
    writeFileSync(
      join(consumer, 'use.cjs'),
      `const { ZookeeperLock, ZookeeperLockTimeoutError } = require('zk-lock');\n${USAGE}`,
    );
    expect(JSON.parse(await node('use.cjs'))).toEqual(EXPECTED);
  });

  it("works with import … from 'zk-lock'", async () => {
    writeFileSync(
      join(consumer, 'use.mjs'),
      `import { ZookeeperLock, ZookeeperLockTimeoutError } from 'zk-lock';\n${USAGE}`,
    );
    expect(JSON.parse(await node('use.mjs'))).toEqual(EXPECTED);
  });

  it('keeps every class its own name (no bundler rename like `class _ZkSession`)', () => {
    for (const [name, dir] of Object.entries(WORKSPACE_PACKAGES)) {
      const dist = join(consumer, 'node_modules', name, 'dist');
      const renamed = readdirSync(dist)
        .filter((file) => /\.c?js$/.test(file))
        .flatMap((file) => readFileSync(join(dist, file), 'utf8').match(/= class _\w+/g) ?? []);
      expect(renamed, dir).toEqual([]);
    }
  });

  it('ships type declarations for both module systems that type-check a 2.x-style consumer', async () => {
    const source = `
      import { ZookeeperLock, ZookeeperLockTimeoutError, type ZookeeperLockConfiguration } from 'zk-lock';
      const config: ZookeeperLockConfiguration = {
        serverLocator: () => Promise.resolve({ host: '127.0.0.1', port: 2181 }),
        pathPrefix: 'foo/bar',
        maxConcurrentHolders: 2,
      };
      ZookeeperLock.initialize(config);
      export const locked: Promise<ZookeeperLock> = ZookeeperLock.lock('key', 1000);
      export const checked: Promise<boolean> = ZookeeperLock.checkLock('key');
      const lock = ZookeeperLock.lockFactory();
      lock.on('lost', () => undefined);
      export const token: bigint | undefined = lock.fencingToken;
      export const error: string = new ZookeeperLockTimeoutError('timeout', '/locks/k', 1).lockPath;
    `;
    writeFileSync(join(consumer, 'use-esm.mts'), source);
    writeFileSync(join(consumer, 'use-cjs.cts'), source);
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          types: ['node'],
        },
        files: ['use-esm.mts', 'use-cjs.cts'],
      }),
    );
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: consumer }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    expect(result.stdout).toBe('');
    const dist = join(consumer, 'node_modules/zk-lock/dist');
    expect(existsSync(join(dist, 'index.d.ts')) && existsSync(join(dist, 'index.d.cts'))).toBe(true);
  });
});
