import * as O from 'fp-ts/lib/Option.js';
import { fencingToken } from './fencing.js';
import { participants, type Participant } from './participant.js';
import { leads } from './leader.js';

/**
 * What an observer of an election knows, and what it may conclude: a pure step function over the
 * answers and watch events of one ZooKeeper session, in the order the session delivered them. The
 * shell executes what a step asks for (read and watch nodes, list the parent again) and yields
 * what it reports.
 *
 * Why watches on every participant, not only on the leader: a ZooKeeper session delivers watch
 * events in the order the changes happened, and a reply after every event that precedes it. So
 * when the leader's deletion arrives, each participant whose watch was confirmed before (the reply
 * to the read that set it came first) and that has not been reported deleted is known to exist at
 * that instant; no participant the observer never listed can be ahead of them (a younger node has
 * a larger sequence). The first of them is therefore the next leader, known at once, without a
 * listing in between during which it could lead and leave unseen. Whenever that reasoning does not
 * apply (a watch not yet confirmed, a node whose data changed, a reconnect, which re-delivers
 * watches out of order), the step asks for a listing instead, and a listing's front node led at
 * the listing's instant.
 *
 * What it reports: leaders in strictly increasing fencing-token order, each one exactly once except
 * when its value changes (then again, with the new value), and `null` (no leader) in between.
 * Every leader reported led at some instant. A leader is missed only if it was created after the
 * observer's last listing, or deleted before the observer's watch on it was confirmed, and led and
 * left in that window (see docs/guarantees.md).
 */

/** A leader as an observer reports it. */
export interface ObservedLeader {
  readonly node: string;
  readonly sequence: number;
  /** The same token the leader's own handle carries (`parentCzxid << 32 | sequence`). */
  readonly fencingToken: bigint;
  /** The node's data as last read (owner JSON, see `decodeOwnerData`). */
  readonly data: string;
}

/** A participant seen in a listing and not seen go. */
export interface KnownParticipant {
  readonly participant: Participant;
  readonly token: bigint;
  /** Its data once the read that set its watch was answered; `undefined` while it is in flight. */
  readonly data: string | undefined;
}

export interface LeaderView {
  /** The parent's czxid in the latest listing: names of another incarnation are other nodes. */
  readonly parentCzxid: bigint | undefined;
  /** Participants seen in a listing and not seen go, in queue order. */
  readonly known: ReadonlyArray<KnownParticipant>;
  /** The participant at the front at the last report (a leader, or a `read-` node), if known. */
  readonly front: { readonly node: string; readonly token: bigint } | undefined;
  /** A listing's front `lock-` node: it led, and is reported once its data is read. */
  readonly awaiting: string | undefined;
  /** The last report: a leader, `null` for none, `undefined` before the first. */
  readonly reported: ObservedLeader | null | undefined;
  /**
   * Participants seen deleted (or vanished) since the latest listing: a listing that still names
   * one of them was taken before that deletion, although its answer was handled after it.
   */
  readonly gone: ReadonlySet<string>;
}

export type LeaderViewEvent =
  /** A children listing of the parent (which also set a child watch). */
  | { readonly _tag: 'Listed'; readonly children: ReadonlyArray<string>; readonly parentCzxid: bigint }
  /** The listing found no parent: no participants, no leader. */
  | { readonly _tag: 'ParentMissing' }
  /** A read that set a watch on `node` was answered with its data. */
  | { readonly _tag: 'Watched'; readonly node: string; readonly data: string }
  /** A read meant to set a watch on `node` found no node: it went at an unknown moment. */
  | { readonly _tag: 'Vanished'; readonly node: string }
  /** The watch on `node` fired: it was deleted. */
  | { readonly _tag: 'Deleted'; readonly node: string }
  /** The watch on `node` fired: its data changed (the leader proclaimed a new value). */
  | { readonly _tag: 'DataChanged'; readonly node: string }
  /** The connection dropped: watches come back after a reconnect, but not in order. */
  | { readonly _tag: 'Disconnected' };

export interface LeaderViewStep {
  readonly view: LeaderView;
  /** Nodes to read with a watch, in queue order. */
  readonly watch: ReadonlyArray<string>;
  /** List the parent again (with a child watch). */
  readonly relist: boolean;
  /** What to yield, if anything: a leader, or `null` for none. */
  readonly report: O.Option<ObservedLeader | null>;
}

export const initialLeaderView: LeaderView = {
  parentCzxid: undefined,
  known: [],
  front: undefined,
  awaiting: undefined,
  reported: undefined,
  gone: new Set(),
};

const step = (
  view: LeaderView,
  { watch = [], relist = false, report = O.none }: Partial<Omit<LeaderViewStep, 'view'>> = {},
): LeaderViewStep => ({ view, watch, relist, report });

const frontOf = (known: KnownParticipant): LeaderView['front'] => ({
  node: known.participant.name,
  token: known.token,
});

/** Reports `known` as the leader, unless it is the last report already or older than it. */
const reportLeader = (view: LeaderView, known: KnownParticipant & { data: string }): LeaderViewStep => {
  const last = view.reported;
  const same = last != null && last.fencingToken === known.token && last.data === known.data;
  if (same || (last != null && last.fencingToken > known.token)) return step(view);
  const leader: ObservedLeader = {
    node: known.participant.name,
    sequence: known.participant.sequence,
    fencingToken: known.token,
    data: known.data,
  };
  return step({ ...view, reported: leader }, { report: O.some(leader) });
};

const reportNone = (view: LeaderView): LeaderViewStep =>
  view.reported === null ? step(view) : step({ ...view, reported: null }, { report: O.some(null) });

const hasData = (known: KnownParticipant): known is KnownParticipant & { data: string } =>
  known.data !== undefined;

const NOTHING_GONE: ReadonlySet<string> = new Set();

/** Adds `node` to the participants seen go. */
const withGone = (view: LeaderView, node: string): ReadonlySet<string> => new Set([...view.gone, node]);

/**
 * A listing: its front node led at the listing's instant; its new participants get watches.
 *
 * A listing's answer is handled after the watch events that arrived with it, so it can be older
 * than what the observer already concluded from them; one that names a participant seen deleted
 * is, and it is set aside for a fresh one (its child watch has fired, or fires, for that deletion).
 */
const listed = (view: LeaderView, children: ReadonlyArray<string>, parentCzxid: bigint): LeaderViewStep => {
  const sameParent = view.parentCzxid === parentCzxid;
  if (sameParent && children.some((name) => view.gone.has(name))) return step(view, { relist: true });
  const previous = new Map(sameParent ? view.known.map((k) => [k.participant.name, k] as const) : []);
  const known = participants(children).map(
    (participant): KnownParticipant =>
      previous.get(participant.name) ?? {
        participant,
        token: fencingToken(parentCzxid, participant.sequence),
        data: undefined,
      },
  );
  const watch = known.filter((k) => !previous.has(k.participant.name)).map((k) => k.participant.name);
  const head = known[0];
  const base = { ...view, parentCzxid, known, awaiting: undefined, gone: NOTHING_GONE };
  if (head === undefined || !leads(head.participant)) {
    const none = reportNone({ ...base, front: head === undefined ? undefined : frontOf(head) });
    return { ...none, watch };
  }
  const withFront = { ...base, front: frontOf(head) };
  if (hasData(head)) return { ...reportLeader(withFront, head), watch };
  const reported = view.reported != null && view.reported.fencingToken >= head.token;
  return step(reported ? withFront : { ...withFront, awaiting: head.participant.name }, { watch });
};

const watched = (view: LeaderView, node: string, data: string): LeaderViewStep => {
  const index = view.known.findIndex((k) => k.participant.name === node);
  const entry = view.known[index];
  // An answer for a node seen go since (or of another incarnation) tells nothing.
  if (entry === undefined) return step(view);
  const updated = { ...entry, data };
  const known = view.known.map((k, i) => (i === index ? updated : k));
  const next = { ...view, known };
  if (view.awaiting === node) return reportLeader({ ...next, awaiting: undefined }, updated);
  // The leader's value changed and its watch is set again.
  if (view.reported?.fencingToken === updated.token) return reportLeader(next, updated);
  return step(next);
};

const vanished = (view: LeaderView, node: string): LeaderViewStep => {
  const known = view.known.filter((k) => k.participant.name !== node);
  view = { ...view, gone: withGone(view, node) };
  // When it went is unknown, so who came after it is too: list.
  const unknownOrder = view.awaiting === node || view.front?.node === node;
  return unknownOrder
    ? step({ ...view, known, awaiting: undefined, front: undefined }, { relist: true })
    : step({ ...view, known });
};

/** The front node's deletion: the next participant leads, if the observer knows which one that is. */
const deleted = (view: LeaderView, node: string): LeaderViewStep => {
  const front = view.front;
  view = { ...view, gone: withGone(view, node) };
  const wasKnown = view.known.some((k) => k.participant.name === node);
  if (front?.node !== node) {
    const known = view.known.filter((k) => k.participant.name !== node);
    const awaited = view.awaiting === node;
    return step({ ...view, known, awaiting: awaited ? undefined : view.awaiting }, { relist: awaited });
  }
  const known = view.known.filter((k) => k.token > front.token);
  const next = known[0];
  const rest = { ...view, known, awaiting: undefined };
  if (!wasKnown || next === undefined || !hasData(next))
    return step({ ...rest, front: undefined }, { relist: true });
  const withFront = { ...rest, front: frontOf(next) };
  return next.participant.role === 'lock' ? reportLeader(withFront, next) : reportNone(withFront);
};

const dataChanged = (view: LeaderView, node: string): LeaderViewStep => {
  if (!view.known.some((k) => k.participant.name === node)) return step(view);
  // Its watch is spent: until the new one is confirmed, its deletion would go unheard.
  const known = view.known.map((k) => (k.participant.name === node ? { ...k, data: undefined } : k));
  return step({ ...view, known }, { watch: [node] });
};

/** What was known about the participants dropped; the last report and the nodes seen go stay. */
const forgotten = (view: LeaderView): LeaderView => ({
  ...view,
  known: [],
  front: undefined,
  awaiting: undefined,
});

/** Applies one answer or watch event of the observer's session, in the order it delivered them. */
export const stepLeaderView = (view: LeaderView, event: LeaderViewEvent): LeaderViewStep => {
  switch (event._tag) {
    case 'Listed':
      return listed(view, event.children, event.parentCzxid);
    case 'ParentMissing':
      return reportNone({
        ...view,
        parentCzxid: undefined,
        known: [],
        front: undefined,
        awaiting: undefined,
      });
    case 'Watched':
      return watched(view, event.node, event.data);
    case 'Vanished':
      return vanished(view, event.node);
    case 'Deleted':
      return deleted(view, event.node);
    case 'DataChanged':
      return dataChanged(view, event.node);
    case 'Disconnected':
      return step(forgotten(view));
  }
};
