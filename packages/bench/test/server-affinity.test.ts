import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pinToLastCpu } from '../src/server-affinity.js';

/** The CPUs a process's main thread may run on, as Linux reports them (`0-1`, `1`, ...). */
const allowedCpus = (pid: number): string | undefined =>
  /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];

describe('pinToLastCpu (bench --pin-server)', () => {
  it('confines a process it is given, and only that one, to the last CPU', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await once(child, 'spawn');
    try {
      const pid = child.pid as number;
      const last = cpus().length - 1;
      const ours = allowedCpus(process.pid);
      expect(pinToLastCpu(pid)).toBe(last);
      expect(allowedCpus(pid)).toBe(String(last));
      // The calling process keeps the CPUs it had.
      expect(allowedCpus(process.pid)).toBe(ours);
    } finally {
      child.kill();
    }
  });
});
