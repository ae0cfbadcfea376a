import * as E from 'fp-ts/lib/Either.js';
import * as O from 'fp-ts/lib/Option.js';
import { describeValue } from './describe.js';
import { participants, type Participant } from './participant.js';

/**
 * Leader election on the lock recipe: a campaign is a mutex acquisition on the election's key,
 * and the leader is the mutex's holder, so every rule of the mutex carries over (the node layout,
 * fencing tokens, what `lost` means). Sequence order is leadership order: each node leads once
 * every node ahead of it is gone, and never again after its own deletion.
 */

/**
 * The leader a children listing names: the first participant in queue order, when it is a `lock-`
 * node (the one node `decide(children, name, 1)` answers `Held` for). A `read-` node at the front
 * (someone took a read lock on the election's key) holds, but leads nobody.
 */
export const leaderOf = (children: ReadonlyArray<string>): O.Option<Participant> => {
  const head = participants(children)[0];
  return head !== undefined && leads(head) ? O.some(head) : O.none;
};

/** Whether the participant at the front of the queue leads: only a `lock-` node does. */
export const leads = (front: Participant): boolean => front.role === 'lock';

/**
 * The largest value a leader may publish, in UTF-8 bytes. The value travels in the leader node's
 * data, which every observer reads; ZooKeeper refuses a request over `jute.maxbuffer` (1 MiB by
 * default), and JSON escaping can make a value up to six times longer (`\u0000`), so 64 KiB keeps
 * the worst case well inside it.
 */
export const MAX_LEADER_VALUE_BYTES = 64 * 1024;

export interface LeaderValueError {
  readonly _tag: 'LeaderValueError';
  readonly field: 'value';
  readonly message: string;
}

const valueError = (message: string): LeaderValueError => ({
  _tag: 'LeaderValueError',
  field: 'value',
  message: `value: ${message}`,
});

const utf8 = new TextEncoder();

/** A value a leader may publish: a string of at most `MAX_LEADER_VALUE_BYTES` UTF-8 bytes. */
export const checkLeaderValue = (value: unknown): E.Either<LeaderValueError, string> => {
  if (typeof value !== 'string') return E.left(valueError(`expected a string, got ${describeValue(value)}`));
  const bytes = utf8.encode(value).length;
  return bytes > MAX_LEADER_VALUE_BYTES
    ? E.left(valueError(`${bytes} bytes in UTF-8; at most ${MAX_LEADER_VALUE_BYTES} are allowed`))
    : E.right(value);
};
