import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseResultLine } from '../src/result-line.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('bench:one command line', () => {
  it('rejects a missing or unknown workload or option with the usage on stderr, exit 2 and nothing on stdout', () => {
    for (const args of [
      [],
      ['127.0.0.1:2181'],
      ['127.0.0.1:2181', 'W9'],
      ['--fast', '127.0.0.1:2181', 'W1'],
      ['--floor', '127.0.0.1:2181', 'W2'],
      ['--container-check', '0', '127.0.0.1:2181', 'W3'],
      ['--container-check', '1s', '127.0.0.1:2181', 'W3'],
    ]) {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/bench-one.ts', ...args], {
        cwd: packageDir,
        encoding: 'utf8',
      });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(
        'usage: bench:one [--smoke] [--container-check <ms>] <connectString> <W1|W2|W3|W4|W4h|W5>',
      );
      expect(run.stderr).toContain(
        'bench:one --floor [--smoke] [--container-check <ms>] <connectString> <W1|W3>',
      );
    }
  });
});

describe('parseResultLine', () => {
  it('reads lib, workload and the numeric fields of the one line', () => {
    expect(parseResultLine('{"lib":"zk-lock-3.0.0","workload":"W1","cycles":1900,"x":null}\n', 'W1')).toEqual(
      {
        lib: 'zk-lock-3.0.0',
        workload: 'W1',
        fields: { cycles: 1900, x: null },
      },
    );
  });

  it('refuses anything but exactly one JSON line naming the workload', () => {
    const line = '{"lib":"zk-lock-3.0.0","workload":"W1","cycles":1900}';
    expect(() => parseResultLine('', 'W1')).toThrow(/exactly one line/);
    expect(() => parseResultLine(`log line\n${line}\n`, 'W1')).toThrow(/exactly one line/);
    expect(() => parseResultLine(line, 'W1')).toThrow(/exactly one line/);
    expect(() => parseResultLine(`${line}\n`, 'W2')).toThrow(/names another workload/);
    expect(() => parseResultLine('{"workload":"W1"}\n', 'W1')).toThrow(/lacks lib/);
    expect(() => parseResultLine('[1]\n', 'W1')).toThrow(/not a JSON object/);
    expect(() => parseResultLine('{"lib":"l","workload":"W1","cycles":"many"}\n', 'W1')).toThrow(/cycles/);
  });
});
