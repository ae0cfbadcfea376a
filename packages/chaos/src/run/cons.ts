import { normalizeSessionId } from '../check/index.js';

/** The session ids of the client connections a `cons` answer lists (the asking connection has none). */
export const sessionsInCons = (cons: string): string[] =>
  [...cons.matchAll(/sid=(0x[0-9a-f]+)/g)].map((m) => normalizeSessionId(m[1]!));

/** A counter of a `mntr` answer, e.g. `zk_global_sessions`; undefined when absent. */
export const mntrValue = (mntr: string, name: string): number | undefined => {
  const line = mntr.split('\n').find((l) => l.startsWith(`${name}\t`));
  return line === undefined ? undefined : Number(line.split('\t')[1]);
};
