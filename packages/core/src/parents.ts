import * as t from 'io-ts';

/**
 * When and how a lock parent (`/locks/<prefix>/<key>`) is made: recipe policy, so the adapter only
 * sends what the machine's requests say. The shared ancestors (`/locks`, the prefix's segments)
 * are always persistent: every key of the prefix needs them.
 */

/**
 * How lock parents are created. `container` (the default): ZooKeeper (>= 3.5.3) deletes a
 * container once it is empty after having had children, so keys used once leave nothing behind;
 * on an older server the session creates it persistent. `persistent`: the parent stays forever,
 * as zk-lock 2.x left it.
 */
export type ParentNodes = 'container' | 'persistent';

export const ParentNodesCodec = t.keyof({ container: null, persistent: null });

export const DEFAULT_PARENT_NODES: ParentNodes = 'container';

/**
 * What the shell knows about an attempt's lock parent when the attempt starts
 * (`LockPort.parentHint`): how parents are made, and whether the session has seen this one exist.
 * `seen` is a cache, never a fact: the parent may have been deleted since (an empty container the
 * server reaped), and then the node's create answers NO_NODE and the machine creates it again.
 */
export interface ParentHint {
  readonly nodes: ParentNodes;
  readonly seen: boolean;
}

/** The four hints as constants: an attempt keeps one, and a burst of attempts allocates none. */
const HINTS: Readonly<Record<ParentNodes, Readonly<Record<'seen' | 'unseen', ParentHint>>>> = {
  container: { seen: { nodes: 'container', seen: true }, unseen: { nodes: 'container', seen: false } },
  persistent: { seen: { nodes: 'persistent', seen: true }, unseen: { nodes: 'persistent', seen: false } },
};

export const parentHint = (nodes: ParentNodes, seen: boolean): ParentHint =>
  HINTS[nodes][seen ? 'seen' : 'unseen'];

/**
 * The create of the parent to send right ahead of the lock node's create, or none. Only for a
 * parent the session has not seen, and only before the attempt's first create: ZooKeeper answers a
 * session's requests in order, so the node's create, sent right behind it without waiting, finds
 * the parent (whatever the parent's own create answers: created, or NODE_EXISTS). That costs one
 * request on the first use of a parent and none in the steady state. After a NO_NODE the machine
 * creates the parents with their ancestors first (`parentsToCreate`), so no retry needs it.
 */
export const parentAhead = (hint: ParentHint, createsAnsweredNoNode: number): ParentNodes | undefined =>
  hint.seen || createsAnsweredNoNode > 0 ? undefined : hint.nodes;

/** The mode of the parent the machine creates (with its ancestors) after a create answered NO_NODE. */
export const parentsToCreate = (hint: ParentHint): ParentNodes => hint.nodes;
