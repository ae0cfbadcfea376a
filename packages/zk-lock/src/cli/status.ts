import type { Contender } from '../modern/contenders.js';
import type { StatusArgs } from './args.js';
import { locksFor } from './locks.js';
import { ownerJson, ownerText } from './owner.js';
import { renderTable } from './table.js';

/** `zk-lock status`: the holders and waiters of a lock, as a table or as JSON. */

const UNKNOWN_OWNER = 'unknown (zk-lock 2.x or foreign)';

export const renderContenders = (path: string, contenders: ReadonlyArray<Contender>): string => {
  if (contenders.length === 0) return `${path}: free (no holders, no waiters)`;
  const holders = contenders.filter((c) => c.role === 'holder').length;
  const title = `${path}: ${holders} holding, ${contenders.length - holders} waiting`;
  const table = renderTable(
    ['ROLE', 'NODE', 'SEQ', 'CZXID', 'OWNER', 'LOCK ID', 'CREATED'],
    contenders.map((c) => [
      c.role,
      c.node,
      String(c.sequence),
      `0x${c.czxid.toString(16)}`,
      ownerText(c.owner, UNKNOWN_OWNER),
      c.owner?.lockId ?? '-',
      c.owner === undefined ? '-' : new Date(c.owner.createdAt).toISOString(),
    ]),
  );
  return `${title}\n${table}`;
};

/** JSON for scripts: bigints as decimal strings, times as ISO strings, an unknown owner as `null`. */
export const contendersJson = (key: string, path: string, contenders: ReadonlyArray<Contender>): string =>
  JSON.stringify({
    key,
    path,
    contenders: contenders.map((c) => ({
      role: c.role,
      node: c.node,
      kind: c.kind,
      sequence: c.sequence,
      czxid: c.czxid.toString(),
      owner: ownerJson(c.owner),
    })),
  });

export const runStatus = async (args: StatusArgs): Promise<number> => {
  const locks = locksFor(args.connection);
  try {
    const options = args.maxHolders === undefined ? {} : { maxConcurrentHolders: args.maxHolders };
    const contenders = await locks.contenders(args.key, options);
    const path = locks.pathOf(args.key);
    process.stdout.write(
      `${args.json ? contendersJson(args.key, path, contenders) : renderContenders(path, contenders)}\n`,
    );
    return 0;
  } finally {
    await locks.close();
  }
};
