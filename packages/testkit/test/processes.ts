import { readFileSync } from 'node:fs';

/** Whether `pid` runs; a zombie (dead, not yet reaped by a non-reaping pid 1) counts as gone. */
export const alive = (pid: number): boolean => {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
};
