import type { Leader, Locks } from '../modern/index.js';
import type { LeaderArgs } from './args.js';
import { ExitCode } from './exit-codes.js';
import { locksFor } from './locks.js';
import { ownerJson, ownerText } from './owner.js';
import { INTERRUPTS } from './signals.js';

/** `zk-lock leader`: the leader of an election and its value; with `--watch`, each change after. */

/** One line: `<path>: lock-0000000003 leads, value "10.0.0.7:8080" (web-1 pid 4242, token 12884901891)`. */
export const renderLeader = (path: string, leader: Leader | undefined): string =>
  leader === undefined
    ? `${path}: no leader`
    : `${path}: ${leader.node} leads, value ${leader.value === undefined ? '-' : JSON.stringify(leader.value)} ` +
      `(${ownerText(leader.owner, 'unknown owner (zk-lock 2.x or foreign)')}, token ${leader.fencingToken})`;

/** JSON for scripts: the token as a decimal string, times as ISO strings, nobody or an unknown owner as `null`. */
export const leaderJson = (key: string, path: string, leader: Leader | undefined): string =>
  JSON.stringify({
    key,
    path,
    leader:
      leader === undefined
        ? null
        : {
            node: leader.node,
            sequence: leader.sequence,
            fencingToken: String(leader.fencingToken),
            value: leader.value ?? null,
            owner: ownerJson(leader.owner),
          },
  });

/** Prints each change until SIGINT or SIGTERM, which end the watch normally. */
const watch = async (
  locks: Locks,
  key: string,
  print: (leader: Leader | undefined) => void,
): Promise<number> => {
  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  for (const signal of INTERRUPTS) process.on(signal, onSignal);
  try {
    for await (const leader of locks.observeLeader(key, { signal: stop.signal })) print(leader);
    return ExitCode.OK;
  } catch (error) {
    if (stop.signal.aborted) return ExitCode.OK;
    throw error;
  } finally {
    for (const signal of INTERRUPTS) process.off(signal, onSignal);
  }
};

export const runLeader = async (args: LeaderArgs): Promise<number> => {
  const locks = locksFor(args.connection);
  try {
    const path = locks.pathOf(args.key);
    const print = (leader: Leader | undefined): void => {
      process.stdout.write(
        `${args.json ? leaderJson(args.key, path, leader) : renderLeader(path, leader)}\n`,
      );
    };
    if (args.watch) return await watch(locks, args.key, print);
    const leader = await locks.leader(args.key);
    print(leader);
    return leader === undefined ? ExitCode.NO_LEADER : ExitCode.OK;
  } finally {
    await locks.close();
  }
};
