import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureBuilt } from '../../support/built-package.js';

/**
 * A fresh npm project outside the workspace with the public packages installed as npm users get
 * them: each packed with `pnpm pack` (workspace versions rewritten, only the files that ship), the
 * tarballs installed by path with `npm install`, every other dependency from the npm registry.
 */

const run = promisify(execFile);

export const repo = fileURLToPath(new URL('../../../../..', import.meta.url));

/** The packages npm users install, and where they live in the workspace. */
export const PUBLIC_PACKAGES: Readonly<Record<string, string>> = {
  '@zk-lock/core': 'packages/core',
  '@zk-lock/node-zookeeper-client': 'packages/node-zookeeper-client',
  '@zk-lock/zookeeper': 'packages/zookeeper',
  'zk-lock': 'packages/zk-lock',
};

export interface ConsumerProject {
  /** The npm project: package.json, node_modules. */
  readonly dir: string;
  /** Runs `command` in the project with a clean environment; resolves with its output, or rejects. */
  readonly run: (
    command: string,
    args: ReadonlyArray<string>,
    options?: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number },
  ) => Promise<{ readonly stdout: string; readonly stderr: string }>;
  /** The environment its processes get: this one without npm's and pnpm's settings for the workspace. */
  readonly env: NodeJS.ProcessEnv;
  readonly remove: () => void;
}

/**
 * `npm test` runs this under npm and pnpm, whose `npm_*` variables (the workspace's prefix, its
 * config) would point a child npm back into the workspace.
 */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm|pnpm)_/i.test(name)));

const versionIn = (manifest: string, dependency: string): string => {
  const { dependencies = {}, devDependencies = {} } = JSON.parse(
    readFileSync(join(repo, manifest), 'utf8'),
  ) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const version = dependencies[dependency] ?? devDependencies[dependency];
  if (version === undefined) throw new Error(`${manifest} has no ${dependency}`);
  return version;
};

/**
 * Builds what is stale (`npm test` has just built everything), packs, and installs the tarballs
 * with `extra` registry packages (e.g. the user's own node-zookeeper-client) into a new project.
 */
export const createConsumerProject = async (extra: ReadonlyArray<string>): Promise<ConsumerProject> => {
  await ensureBuilt();
  const root = mkdtempSync(join(tmpdir(), 'zk-lock-consumer-'));
  const env = cleanEnv();
  try {
    const packs = join(root, 'packs');
    const tarballs: string[] = [];
    for (const dir of Object.values(PUBLIC_PACKAGES)) {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', packs], {
        cwd: join(repo, dir),
        env,
        timeout: 120_000,
      });
      tarballs.push(stdout.trim().split('\n').pop() as string);
    }
    const dir = join(root, 'app');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'package.json'),
      `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true })}\n`,
    );
    const types = `@types/node@${versionIn('package.json', '@types/node')}`;
    await run('npm', ['install', '--no-audit', '--no-fund', ...tarballs, types, ...extra], {
      cwd: dir,
      env,
      timeout: 300_000,
    });
    return {
      dir,
      env,
      run: (command, args, options = {}) =>
        run(command, [...args], {
          cwd: dir,
          env: { ...env, ...options.env },
          timeout: options.timeoutMs ?? 60_000,
        }),
      remove: () => rmSync(root, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
};
