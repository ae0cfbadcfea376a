import { held, missing, wait, type Decision } from './decide.js';
import { participants, type Participant } from './participant.js';

/**
 * The read/write rule (ZooKeeper's shared-lock recipe). Readers are `read-<seq>`, writers
 * `lock-<seq>`, in one queue ordered by sequence.
 * - A reader holds when no writer precedes it; otherwise it watches the nearest preceding writer.
 *   Only a writer can block a reader, and the nearest one is the last to leave among those ahead
 *   (or, if an earlier one leaves first, the reader is still blocked by the nearest), so one
 *   watch suffices.
 * - A writer holds when it is first; otherwise it watches its immediate predecessor (reader or
 *   writer): it can only become first after that node is gone.
 * Writers are not starved: a reader arriving after a waiting writer queues behind it.
 */
export const decideReadWrite = (children: ReadonlyArray<string>, mine: string): Decision => {
  const queue = participants(children);
  const index = queue.findIndex((p) => p.name === mine);
  if (index < 0) return missing;
  const me = queue[index] as Participant;
  if (me.role === 'lock') return index === 0 ? held : wait([(queue[index - 1] as Participant).name]);
  for (let i = index - 1; i >= 0; i--) {
    const p = queue[i] as Participant;
    if (p.role === 'lock') return wait([p.name]);
  }
  return held;
};
