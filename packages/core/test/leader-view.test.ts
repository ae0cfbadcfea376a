import * as O from 'fp-ts/lib/Option.js';
import { describe, expect, it } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import {
  fencingToken,
  initialLeaderView,
  stepLeaderView,
  type LeaderView,
  type LeaderViewEvent,
  type ObservedLeader,
} from '@zk-lock/core';
import { ElectionModel, PARENT_CZXID } from './support/election-model.js';

const lock = (n: number): string => `lock-${String(n).padStart(10, '0')}`;
const read = (n: number): string => `read-${String(n).padStart(10, '0')}`;

/** Steps through `events`, collecting what the view asks for and reports. */
const run = (events: ReadonlyArray<LeaderViewEvent>, view: LeaderView = initialLeaderView) => {
  const watched: string[] = [];
  const reports: Array<ObservedLeader | null> = [];
  let relists = 0;
  for (const event of events) {
    const step = stepLeaderView(view, event);
    view = step.view;
    watched.push(...step.watch);
    if (step.relist) relists += 1;
    if (O.isSome(step.report)) reports.push(step.report.value);
  }
  return { view, watched, reports, relists };
};

const leader = (n: number, data: string): ObservedLeader => ({
  node: lock(n),
  sequence: n,
  fencingToken: fencingToken(PARENT_CZXID, n),
  data,
});

const listed = (...children: string[]): LeaderViewEvent => ({
  _tag: 'Listed',
  children,
  parentCzxid: PARENT_CZXID,
});

describe('the leader view', () => {
  it('reports "no leader" at once for an empty election, and the front node once its data is read', () => {
    expect(run([listed()]).reports).toEqual([null]);
    const { watched, reports } = run([
      listed(lock(2), lock(1)),
      { _tag: 'Watched', node: lock(1), data: 'a' },
      { _tag: 'Watched', node: lock(2), data: 'b' },
    ]);
    expect(watched).toEqual([lock(1), lock(2)]);
    expect(reports).toEqual([leader(1, 'a')]);
  });

  it('names the next leader from the deletion alone when its watch was confirmed first', () => {
    const { reports, relists } = run([
      listed(lock(1), lock(2), lock(3)),
      { _tag: 'Watched', node: lock(1), data: 'a' },
      { _tag: 'Watched', node: lock(2), data: 'b' },
      { _tag: 'Watched', node: lock(3), data: 'c' },
      { _tag: 'Deleted', node: lock(2) }, // a waiter gave up: no change of leader
      { _tag: 'Deleted', node: lock(1) },
      { _tag: 'Deleted', node: lock(3) },
    ]);
    expect(reports).toEqual([leader(1, 'a'), leader(3, 'c')]);
    // Only the last deletion leaves nobody known: who comes next needs a listing.
    expect(relists).toBe(1);
  });

  it('lists again instead when the next watch is not confirmed yet', () => {
    const { reports, relists } = run([
      listed(lock(1), lock(2)),
      { _tag: 'Watched', node: lock(1), data: 'a' },
      { _tag: 'Deleted', node: lock(1) },
      { _tag: 'Watched', node: lock(2), data: 'b' },
    ]);
    expect(reports).toEqual([leader(1, 'a')]);
    expect(relists).toBe(1);
  });

  it('reports a new value of the leader once its watch is set again, and no leader while a reader is in front', () => {
    const { reports, watched } = run([
      listed(lock(1), read(2), lock(3)),
      { _tag: 'Watched', node: lock(1), data: 'a' },
      { _tag: 'Watched', node: read(2), data: 'r' },
      { _tag: 'Watched', node: lock(3), data: 'c' },
      { _tag: 'DataChanged', node: lock(1) },
      { _tag: 'Watched', node: lock(1), data: 'a2' },
      { _tag: 'Deleted', node: lock(1) },
      { _tag: 'Deleted', node: read(2) },
    ]);
    expect(watched).toEqual([lock(1), read(2), lock(3), lock(1)]);
    expect(reports).toEqual([leader(1, 'a'), leader(1, 'a2'), null, leader(3, 'c')]);
  });

  it('forgets what it knew on a disconnect (watches come back out of order), and never reports an older leader again', () => {
    const { view, reports, relists } = run([
      listed(lock(4), lock(5)),
      { _tag: 'Watched', node: lock(4), data: 'd' },
      { _tag: 'Watched', node: lock(5), data: 'e' },
      { _tag: 'Disconnected' },
      // A watch set before the drop fires after the reconnect: no longer a ground for inference.
      { _tag: 'Deleted', node: lock(4) },
      listed(lock(5)),
      { _tag: 'Watched', node: lock(5), data: 'e' },
      listed(lock(5)),
    ]);
    expect(reports).toEqual([leader(4, 'd'), leader(5, 'e')]);
    expect(relists).toBe(0);
    expect(view.known.map((k) => k.participant.name)).toEqual([lock(5)]);
  });

  it('sets aside a listing that still names a node seen deleted since, and lists again', () => {
    const { reports, relists } = run([
      listed(read(1), lock(2)),
      { _tag: 'Watched', node: read(1), data: 'r' },
      { _tag: 'Watched', node: lock(2), data: 'b' },
      { _tag: 'Deleted', node: read(1) },
      // Taken before that deletion, handled after it: it would say nobody leads.
      listed(read(1), lock(2)),
      listed(lock(2)),
    ]);
    expect(reports).toEqual([null, leader(2, 'b')]);
    expect(relists).toBe(1);
  });

  it('reports no leader when the parent is missing', () => {
    expect(
      run([listed(lock(1)), { _tag: 'Watched', node: lock(1), data: 'a' }, { _tag: 'ParentMissing' }])
        .reports,
    ).toEqual([leader(1, 'a'), null]);
  });
});

type Action =
  | { readonly type: 'create'; readonly role: 'lock' | 'read' }
  | { readonly type: 'remove'; readonly index: number }
  | { readonly type: 'proclaim' }
  | { readonly type: 'serve' }
  | { readonly type: 'deliver'; readonly count: number };

const create = fc.constantFrom<Action>({ type: 'create', role: 'lock' }, { type: 'create', role: 'read' });
const remove = fc.nat({ max: 20 }).map((index): Action => ({ type: 'remove', index }));
const traffic = fc.oneof(
  fc.constant<Action>({ type: 'serve' }),
  fc.integer({ min: 1, max: 4 }).map((count): Action => ({ type: 'deliver', count })),
);

const perform = (model: ElectionModel, action: Action): void => {
  switch (action.type) {
    case 'create':
      return model.create(action.role);
    case 'remove':
      return model.remove(action.index);
    case 'proclaim':
      return model.proclaim();
    case 'serve':
      return model.serve();
    case 'deliver':
      return model.deliver(action.count);
  }
};

const asEntry = (report: ObservedLeader | null) =>
  report === null ? { node: null, data: undefined } : { node: report.node, data: report.data };

/** Each report is a state the election was in, in order, and never the same twice in a row. */
const expectTruthful = (model: ElectionModel): void => {
  let position = -1;
  let previous: ObservedLeader | null | undefined;
  for (const report of model.reports) {
    expect(report, 'the same report twice in a row').not.toEqual(previous);
    const entry = asEntry(report);
    const found = model.leaders.findIndex(
      (l, i) => i > position && l.node === entry.node && l.data === entry.data,
    );
    expect(
      found,
      `${JSON.stringify(entry)} after ${JSON.stringify(model.leaders[position])}`,
    ).toBeGreaterThan(position);
    position = found;
    previous = report;
  }
};

describe('the leader view over a session that delivers in order (model)', () => {
  test.prop(
    [
      fc.array(fc.oneof(create, remove, fc.constant<Action>({ type: 'proclaim' }), traffic, traffic), {
        maxLength: 80,
      }),
    ],
    { numRuns: 1000 },
  )('reports only leaders that led, in order, each once, and ends on the current one', (actions) => {
    const model = new ElectionModel();
    model.start();
    for (const action of actions) perform(model, action);
    model.settle();
    expectTruthful(model);
    expect(asEntry(model.reports[model.reports.length - 1] ?? null)).toEqual(
      model.leaders[model.leaders.length - 1],
    );
  });

  test.prop(
    [
      fc.array(create, { minLength: 1, maxLength: 10 }),
      fc.array(fc.oneof(remove, traffic), { maxLength: 60 }),
    ],
    { numRuns: 1000 },
  )('misses no leader among the participants it watched before they led', (creates, rest) => {
    const model = new ElectionModel();
    for (const action of creates) perform(model, action);
    model.start();
    model.settle();
    const [from] = [model.leaders.length - 1];
    const reportedBefore = model.reports.length - 1;
    for (const action of rest) perform(model, action);
    model.settle();
    expectTruthful(model);
    expect(model.reports.slice(reportedBefore).map(asEntry)).toEqual(model.leaders.slice(from));
  });
});
