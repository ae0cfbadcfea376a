import * as O from 'fp-ts/lib/Option.js';

/**
 * Lock nodes are ephemeral sequential children of the lock parent. Writers and exclusive lockers
 * are `lock-<seq>` (wire-compatible with zk-lock 2.x); readers of a read/write lock are
 * `read-<seq>`. ZooKeeper appends the sequence as 10 zero-padded digits.
 */

/** Node name prefix of exclusive lockers and writers (2.x). */
export const LOCK_PREFIX = 'lock-';
/** Node name prefix of readers (read/write locks only). */
export const READ_PREFIX = 'read-';

export type ParticipantRole = 'lock' | 'read';

export interface Participant {
  readonly name: string;
  readonly role: ParticipantRole;
  readonly sequence: number;
}

const PARTICIPANT = /^(lock|read)-(\d{10})$/;

/** A child name as a participant, or none for foreign children (anything else in the parent). */
export const parseParticipant = (name: string): O.Option<Participant> => {
  const match = PARTICIPANT.exec(name);
  if (match === null) return O.none;
  return O.some({ name, role: match[1] as ParticipantRole, sequence: Number(match[2]) });
};

/** zk-lock 2.x's `getSequenceNumber`: the sequence of a `lock-`/`read-` name, if it is one. */
export const sequenceOf = (name: string): O.Option<number> =>
  O.map((p: Participant) => p.sequence)(parseParticipant(name));

/**
 * The participants among `children`, in queue order: by sequence number, never by string (the
 * sequence is shared by both prefixes, so `read-0000000002` comes after `lock-0000000001`).
 */
export const participants = (children: ReadonlyArray<string>): ReadonlyArray<Participant> => {
  const found: Participant[] = [];
  for (const name of children) {
    const p = parseParticipant(name);
    if (O.isSome(p)) found.push(p.value);
  }
  return found.sort((a, b) => a.sequence - b.sequence);
};
