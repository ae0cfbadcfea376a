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

/** `lock-` or `read-` and ten digits. */
const PARTICIPANT_LENGTH = LOCK_PREFIX.length + 10;

/** The role a name's prefix gives, if it is one of the two. */
const roleOf = (name: string): ParticipantRole | undefined =>
  name.startsWith(LOCK_PREFIX) ? 'lock' : name.startsWith(READ_PREFIX) ? 'read' : undefined;

/** The sequence in the ten characters after the prefix, or NaN unless they are all digits. */
const sequenceDigits = (name: string): number => {
  let sequence = 0;
  for (let i = LOCK_PREFIX.length; i < PARTICIPANT_LENGTH; i++) {
    const digit = name.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    sequence = sequence * 10 + digit;
  }
  return sequence;
};

/**
 * A child name as a participant, or none for foreign children (anything else in the parent).
 * Parsed by hand rather than with a regular expression: every listing parses every child, and a
 * match array and two substrings per child were most of a contended listing's cost here.
 */
export const parseParticipant = (name: string): O.Option<Participant> => {
  if (name.length !== PARTICIPANT_LENGTH) return O.none;
  const role = roleOf(name);
  const sequence = sequenceDigits(name);
  if (role === undefined || Number.isNaN(sequence)) return O.none;
  return O.some({ name, role, sequence });
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
