import * as O from 'fp-ts/lib/Option.js';
import {
  initialLeaderView,
  leaderOf,
  stepLeaderView,
  type LeaderViewEvent,
  type ObservedLeader,
} from '@zk-lock/core';

/**
 * A model of one ZooKeeper parent and one observer session, for the leader view's tests. The
 * server applies changes and the observer's requests in one total order; everything it sends the
 * observer (replies and watch events) goes onto one wire in that order. The observer takes the
 * wire in chunks, as a socket delivers it: watch events are handled synchronously in order, and
 * the replies of a chunk only after it (the shell gets them through promises), which is the most
 * a real session can reorder.
 */

type Request = { readonly type: 'list' } | { readonly type: 'read'; readonly node: string };

type Message =
  | { readonly type: 'reply'; readonly event: LeaderViewEvent }
  | { readonly type: 'event'; readonly event: LeaderViewEvent | { readonly _tag: 'ChildrenChanged' } };

interface ModelNode {
  readonly sequence: number;
  data: string;
}

const nameOf = (role: 'lock' | 'read', sequence: number): string =>
  `${role}-${String(sequence).padStart(10, '0')}`;

export const PARENT_CZXID = 7n;

export class ElectionModel {
  readonly nodes = new Map<string, ModelNode>();
  /** Who led after each change, as distinct consecutive entries (`null`: nobody). */
  readonly leaders: Array<{ readonly node: string | null; readonly data: string | undefined }> = [];
  readonly reports: Array<ObservedLeader | null> = [];
  #sequence = 0;
  #versions = 0;
  #wire: Message[] = [];
  #requests: Request[] = [];
  #dataWatches = new Set<string>();
  #childWatch = false;
  #view = initialLeaderView;
  #listing = false;
  #listAgain = false;

  constructor() {
    this.#record();
  }

  get quiet(): boolean {
    return this.#wire.length === 0 && this.#requests.length === 0;
  }

  /** The observer starts: its first listing. */
  start(): void {
    this.#relist();
  }

  create(role: 'lock' | 'read'): void {
    const name = nameOf(role, this.#sequence++);
    this.nodes.set(name, { sequence: this.#sequence - 1, data: `${name}@${this.#versions++}` });
    this.#childrenChanged();
    this.#record();
  }

  remove(index: number): void {
    const names = [...this.nodes.keys()];
    const name = names[index % names.length];
    if (name === undefined) return;
    this.nodes.delete(name);
    this.#fire(name, { _tag: 'Deleted', node: name });
    this.#childrenChanged();
    this.#record();
  }

  /** The leader proclaims a new value. */
  proclaim(): void {
    const leader = O.toUndefined(leaderOf([...this.nodes.keys()]));
    const node = leader && this.nodes.get(leader.name);
    if (leader === undefined || node === undefined) return;
    node.data = `${leader.name}@${this.#versions++}`;
    this.#fire(leader.name, { _tag: 'DataChanged', node: leader.name });
    this.#record();
  }

  /** The server answers the observer's oldest request. */
  serve(): void {
    const request = this.#requests.shift();
    if (request === undefined) return;
    if (request.type === 'list') {
      this.#childWatch = true;
      this.#send('reply', {
        _tag: 'Listed',
        children: [...this.nodes.keys()].reverse(),
        parentCzxid: PARENT_CZXID,
      });
      return;
    }
    const node = this.nodes.get(request.node);
    if (node === undefined) {
      this.#send('reply', { _tag: 'Vanished', node: request.node });
      return;
    }
    this.#dataWatches.add(request.node);
    this.#send('reply', { _tag: 'Watched', node: request.node, data: node.data });
  }

  /** The observer takes the next `count` messages off the wire, as one chunk. */
  deliver(count: number): void {
    const chunk = this.#wire.splice(0, Math.max(1, count));
    const replies: LeaderViewEvent[] = [];
    for (const message of chunk) {
      if (message.type === 'reply') replies.push(message.event);
      else if (message.event._tag === 'ChildrenChanged') this.#relist();
      else this.#apply(message.event);
    }
    for (const reply of replies) {
      if (reply._tag === 'Listed') this.#listed(reply);
      else this.#apply(reply);
    }
  }

  /** Serves and delivers until nothing is left in flight. */
  settle(): void {
    while (!this.quiet) {
      while (this.#requests.length > 0) this.serve();
      this.deliver(this.#wire.length);
    }
  }

  #listed(reply: LeaderViewEvent): void {
    this.#listing = false;
    this.#apply(reply);
    if (this.#listAgain) {
      this.#listAgain = false;
      this.#relist();
    }
  }

  #relist(): void {
    if (this.#listing) {
      this.#listAgain = true;
      return;
    }
    this.#listing = true;
    this.#requests.push({ type: 'list' });
  }

  #apply(event: LeaderViewEvent): void {
    const step = stepLeaderView(this.#view, event);
    this.#view = step.view;
    for (const node of step.watch) this.#requests.push({ type: 'read', node });
    if (step.relist) this.#relist();
    if (O.isSome(step.report)) this.reports.push(step.report.value);
  }

  #send(type: Message['type'], event: LeaderViewEvent): void {
    this.#wire.push({ type, event } as Message);
  }

  #fire(name: string, event: LeaderViewEvent): void {
    if (!this.#dataWatches.delete(name)) return;
    this.#send('event', event);
  }

  #childrenChanged(): void {
    if (!this.#childWatch) return;
    this.#childWatch = false;
    this.#wire.push({ type: 'event', event: { _tag: 'ChildrenChanged' } });
  }

  #record(): void {
    const leader = O.toUndefined(leaderOf([...this.nodes.keys()]));
    const entry = { node: leader?.name ?? null, data: leader && this.nodes.get(leader.name)?.data };
    const last = this.leaders[this.leaders.length - 1];
    if (last?.node !== entry.node || last?.data !== entry.data) this.leaders.push(entry);
  }
}
