import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, repo, zkLockPackage } from './support/built-package.js';
import { freshPrefix, useZooKeeper } from './support/zookeeper.js';

/*
 * What ships, checked on the build: Bluebird is loaded only by the 2.x class, and 2.x-style
 * TypeScript that uses Bluebird's methods compiles against the published declarations.
 */

const run = promisify(execFile);
const server = useZooKeeper();

/** A directory outside the workspace whose `node_modules/zk-lock` is the package, as installed. */
let consumer: string;

const link = (name: string, target: string): void => {
  const path = join(consumer, 'node_modules', name);
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, 'dir');
};

beforeAll(async () => {
  await ensureBuilt();
  consumer = mkdtempSync(join(tmpdir(), 'zk-lock-bluebird-'));
  link('zk-lock', zkLockPackage);
  link('@types/node', join(repo, 'node_modules/@types/node'));
}, 300_000);

afterAll(() => {
  if (consumer !== undefined) rmSync(consumer, { recursive: true, force: true });
});

describe('Bluebird is loaded by the 2.x class only', () => {
  const probe = join(zkLockPackage, 'test/fixtures/bluebird-probe.cjs');

  /** Runs the probe in a process of its own: one API of one build against the test's server. */
  const probeRun = async (build: 'esm' | 'cjs', api: 'modern' | '2.x'): Promise<Record<string, boolean>> => {
    const args = [probe, zkLockPackage, build, api, server().zk.connectString, freshPrefix()];
    const { stdout } = await run(process.execPath, args, { cwd: consumer, timeout: 30_000 });
    return JSON.parse(stdout) as Record<string, boolean>;
  };

  it.each(['esm', 'cjs'] as const)(
    '%s build: the modern API locks and unlocks without loading it',
    async (build) => {
      expect(await probeRun(build, 'modern')).toEqual({
        loadedByImport: false,
        held: true,
        loadedByUse: false,
      });
    },
  );

  it.each(['esm', 'cjs'] as const)(
    '%s build: a 2.x lock loads it at its first call, not before, and returns its promises',
    async (build) => {
      expect(await probeRun(build, '2.x')).toEqual({
        loadedByImport: false,
        loadedByConstruction: false,
        held: true,
        loadedByLocking: true,
        bluebirdPromise: true,
      });
    },
  );

  /** Bundles `contents` (an app's entry) for Node with esbuild, as many services are deployed. */
  const bundle = async (contents: string, format: 'esm' | 'cjs') => {
    const result = await build({
      stdin: { contents, resolveDir: consumer, sourcefile: 'app.js', loader: 'js' },
      bundle: true,
      platform: 'node',
      format,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const text = result.outputFiles.map((file) => file.text).join('\n');
    // The inputs that made it into the bundle: a bundler reads Bluebird behind the 2.x class's
    // `require` and then drops it when nothing calls it.
    const inputs = Object.values((result.metafile as Metafile).outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
        .map(([input]) => input),
    );
    return { text, inputs };
  };
  const bluebirdInputs = (inputs: readonly string[]): string[] =>
    inputs.filter((input) => /(^|\/)bluebird\/js\/release\//.test(input));

  it.each(['esm', 'cjs'] as const)(
    'a modern-only app bundled as %s contains neither Bluebird nor the 2.x class',
    async (format) => {
      const app = await bundle(
        `import { createLocks } from 'zk-lock';
         const locks = createLocks({ connect: process.argv[2] });
         locks.withLock('job', async () => undefined).finally(() => locks.close());`,
        format,
      );
      expect(app.inputs.some((input) => input.includes('zk-lock/dist/'))).toBe(true);
      expect(bluebirdInputs(app.inputs)).toEqual([]);
      expect(app.text).not.toContain('getSequenceNumber');
    },
  );

  it.each([
    ['cjs', `const { ZookeeperLock } = require('zk-lock');`],
    ['esm', `import { ZookeeperLock } from 'zk-lock';`],
  ] as const)('a 2.x app bundled as %s gets Bluebird bundled', async (format, importLine) => {
    const app = await bundle(
      `${importLine}
       const lock = new ZookeeperLock({ serverLocator: process.argv[2] });
       lock.lock('job').then(lock.unlock);`,
      format,
    );
    expect(app.text).toContain('getSequenceNumber');
    expect(bluebirdInputs(app.inputs)).not.toEqual([]);
  });
});

describe('2.x-style TypeScript compiles against the built declarations', () => {
  const fixture = readFileSync(join(zkLockPackage, 'test/fixtures/bluebird-caller.ts'), 'utf8');

  /** `tsc --strict` (no skipLibCheck) on the fixture under `compilerOptions`, as `files`; its output. */
  const compile = async (
    name: string,
    compilerOptions: object,
    files: readonly string[],
  ): Promise<string> => {
    for (const file of files) writeFileSync(join(consumer, file), fixture);
    const project = `tsconfig.${name}.json`;
    writeFileSync(
      join(consumer, project),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'es2022',
          types: ['node'],
          ...compilerOptions,
        },
        files,
      }),
    );
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', project], { cwd: consumer }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    return result.stdout;
  };

  it('as an ES module and as CommonJS (module nodenext: index.d.ts and index.d.cts)', async () => {
    expect(await compile('nodenext', { module: 'nodenext' }, ['caller.mts', 'caller.cts'])).toBe('');
  });

  it('with moduleResolution bundler', async () => {
    expect(await compile('bundler', { module: 'esnext', moduleResolution: 'bundler' }, ['bundled.ts'])).toBe(
      '',
    );
  });

  it('as 2.x-era CommonJS (module commonjs, moduleResolution node10)', async () => {
    const options = { module: 'commonjs', moduleResolution: 'node10', esModuleInterop: true };
    expect(await compile('node10', options, ['classic.ts'])).toBe('');
  });
});
