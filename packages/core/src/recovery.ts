import * as O from 'fp-ts/lib/Option.js';
import { decodeOwnerData } from './owner-data.js';
import { parseParticipant } from './participant.js';
import type { ChildWithOwner } from './port.js';

/**
 * After a create whose reply was lost (connection loss), the node may or may not exist. It is ours
 * exactly when it is a participant, its ephemeral owner is our session and its data carries this
 * attempt's lock id: the session id alone is not enough, since one session serves many locks (and
 * possibly several attempts on the same key).
 */
export const findOwnNode = (
  children: ReadonlyArray<ChildWithOwner>,
  sessionId: string,
  lockId: string,
): O.Option<string> => {
  for (const child of children) {
    if (child.ephemeralOwner !== sessionId || O.isNone(parseParticipant(child.name))) continue;
    const owner = decodeOwnerData(child.data);
    if (O.isSome(owner) && owner.value.lockId === lockId) return O.some(child.name);
  }
  return O.none;
};
