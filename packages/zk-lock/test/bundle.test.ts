import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build, type Format } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/built-package.js';
import { useZooKeeper } from './support/zookeeper.js';

/*
 * An application that uses zk-lock and is bundled with esbuild, as many Node services are deployed
 * (single-file containers, serverless functions): CommonJS and ESM, plain and minified, never with
 * `keepNames`. Bundlers rename functions (esbuild turns a clashing `and` into `and2` even without
 * minifying), so this catches any code that tells functions apart by name or reads a dependency's
 * private fields. The app imports the BUILT package the way an installed one resolves (its
 * `exports`, then its dependencies' `exports`), and each bundle runs as its own process against a
 * real server: it acquires and releases with the modern API and with `ZookeeperLock`, and exits 0.
 */

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../..', import.meta.url));

/** The app's imports, in each module system; its body is the same. */
const IMPORTS: Record<Format, string> = {
  esm: `import { createLocks, ZookeeperLock, ZookeeperLockTimeoutError } from 'zk-lock';`,
  cjs: `const { createLocks, ZookeeperLock, ZookeeperLockTimeoutError } = require('zk-lock');`,
  iife: '',
};

// Plain JavaScript, so that no TypeScript transform stands between the app and the bundler.
const APP_BODY = `
const [host, port] = process.env.ZK_CONNECT.split(':');
const main = async () => {
  const locks = createLocks({ connect: process.env.ZK_CONNECT, pathPrefix: 'bundled' });
  const lock = await locks.acquire('modern', { timeout: 10000 });
  // A second locker waits behind it and times out (the machine's own delay), leaving no node.
  const second = await locks.acquire('modern', { timeout: 200 }).then(
    () => 'acquired',
    (error) => (error instanceof ZookeeperLockTimeoutError ? 'timed out' : String(error)),
  );
  const modern = { token: typeof lock.fencingToken, second };
  await lock.release();
  await locks.close();

  ZookeeperLock.initialize({
    serverLocator: () => Promise.resolve({ host, port: Number(port) }),
    pathPrefix: 'bundled',
    sessionLingerMs: 0,
  });
  const legacy = await ZookeeperLock.lock('legacy', 10000);
  const state = legacy.state;
  await legacy.unlock();
  console.log(JSON.stringify({ modern, legacy: { state, after: legacy.state } }));
};
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

/** A failed bundle's stderr without the lines of minified source a stack trace quotes. */
const readable = (stderr = ''): string =>
  stderr
    .split('\n')
    .filter((line) => line.length < 300)
    .join('\n');

const EXPECTED = {
  modern: { token: 'bigint', second: 'timed out' },
  legacy: { state: 'LOCKED', after: 'DESTROYED' },
};

const server = useZooKeeper();
let app: string;

beforeAll(async () => {
  await ensureBuilt();
  app = mkdtempSync(join(tmpdir(), 'zk-lock-bundled-app-'));
  // Installed as a dependency of the app: resolved through its package.json, hence to dist/.
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(join(repo, 'packages/zk-lock'), join(app, 'node_modules/zk-lock'), 'dir');
  for (const format of ['esm', 'cjs'] as const)
    writeFileSync(join(app, `app.${format === 'esm' ? 'mjs' : 'cjs'}`), `${IMPORTS[format]}\n${APP_BODY}`);
}, 300_000);

afterAll(() => {
  if (app !== undefined) rmSync(app, { recursive: true, force: true });
});

describe('an app bundled with esbuild', () => {
  it.each([
    ['cjs', false],
    ['cjs', true],
    ['esm', false],
    ['esm', true],
  ] as const)('as %s (minified: %s) acquires, releases and exits 0', async (format, minify) => {
    const source = join(app, `app.${format === 'esm' ? 'mjs' : 'cjs'}`);
    const outfile = join(app, `bundle-${format}${minify ? '-min' : ''}.${format === 'esm' ? 'mjs' : 'cjs'}`);
    await build({
      entryPoints: [source],
      absWorkingDir: app,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format,
      minify,
      keepNames: false,
      outfile,
      logLevel: 'silent',
      // An ES module bundle has no `require` for the CommonJS dependencies' Node built-ins; this
      // banner is esbuild's documented way to give it one.
      banner:
        format === 'esm'
          ? {
              js: `import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);`,
            }
          : {},
    });
    const result = await run(process.execPath, [outfile], {
      cwd: app,
      env: { ...process.env, ZK_CONNECT: server().zk.connectString },
      timeout: 30_000,
    }).then(
      ({ stdout }) => ({ exit: 0, output: JSON.parse(stdout.trim()) as unknown }),
      (error: { code?: unknown; stderr?: string }) => ({ exit: error.code, output: readable(error.stderr) }),
    );
    expect(result).toEqual({ exit: 0, output: EXPECTED });
  });
});
