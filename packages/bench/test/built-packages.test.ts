import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildProblem } from '../src/built-packages.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A package directory with a source file and, optionally, a build, at the given times (s). */
const packageDir = (times: { source: number; built?: number }): string => {
  const dir = mkdtempSync(join(tmpdir(), 'zk-lock-built-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'src', 'machine'), { recursive: true });
  const source = join(dir, 'src', 'machine', 'runner.ts');
  writeFileSync(source, '');
  utimesSync(source, times.source, times.source);
  if (times.built !== undefined) {
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'index.js'), '');
    utimesSync(join(dir, 'dist', 'index.js'), times.built, times.built);
  }
  return dir;
};

describe('buildProblem (the bench measures packages as built)', () => {
  it('accepts a build newer than every source file', () => {
    expect(buildProblem(packageDir({ source: 1_000, built: 2_000 }))).toBeUndefined();
  });

  it('refuses a missing build and one older than a source file in any subdirectory', () => {
    expect(buildProblem(packageDir({ source: 1_000 }))).toBe('no build (dist/index.js)');
    expect(buildProblem(packageDir({ source: 2_000, built: 1_000 }))).toBe('dist/ is older than src/');
  });
});
