import { participants, type Decision } from '@zk-lock/core';

/**
 * A pure simulation of the lock recipe with atomic steps: participants join (create a node, list,
 * decide) and leave (their node is deleted: a holder releases or a waiter gives up). A deletion
 * notifies every waiter watching that node, which counts it down (`countdown`, when it returns a
 * decision) or lists and decides again. After every step it
 * checks safety (the rule's `entitled` set is never exceeded by holders) and liveness (no waiter
 * that is entitled to hold is left without a notification pending, i.e. stranded).
 */

export type Rule = (children: ReadonlyArray<string>, mine: string) => Decision;

/** A waiter's next decision after `deleted`, one of the nodes it watches, is gone; `undefined`: list again. */
export type Countdown = (decision: Decision, deleted: string) => Decision | undefined;

export type Step =
  { readonly op: 'join'; readonly reader: boolean } | { readonly op: 'leave'; readonly pick: number };

interface Waiter {
  readonly decision: Decision;
  readonly watch: ReadonlySet<string>;
}

export interface Violation {
  readonly kind: 'safety' | 'stranded';
  readonly step: number;
  readonly children: ReadonlyArray<string>;
  readonly holders: ReadonlyArray<string>;
}

/**
 * Who may hold at once, in queue order: `maxHolders` for a semaphore; for read/write, the first
 * node if it is a writer, else the readers ahead of the first writer.
 */
export const entitledSemaphore =
  (maxHolders: number) =>
  (children: ReadonlyArray<string>): ReadonlyArray<string> =>
    participants(children)
      .slice(0, maxHolders)
      .map((p) => p.name);

export const entitledReadWrite = (children: ReadonlyArray<string>): ReadonlyArray<string> => {
  const queue = participants(children);
  if (queue[0]?.role === 'lock') return [queue[0].name];
  const firstWriter = queue.findIndex((p) => p.role === 'lock');
  return (firstWriter < 0 ? queue : queue.slice(0, firstWriter)).map((p) => p.name);
};

export const simulate = (
  rule: Rule,
  entitled: (children: ReadonlyArray<string>) => ReadonlyArray<string>,
  steps: ReadonlyArray<Step>,
  countdown: Countdown = () => undefined,
): Violation | undefined => {
  let sequence = 0;
  const children: string[] = [];
  const holders = new Set<string>();
  const waiters = new Map<string, Waiter>();

  const apply = (name: string, decision: Decision): void => {
    if (decision._tag === 'Held') {
      waiters.delete(name);
      holders.add(name);
    } else if (decision._tag === 'Wait') waiters.set(name, { decision, watch: new Set(decision.watch) });
  };
  const evaluate = (name: string): void => apply(name, rule(children, name));

  for (let step = 0; step < steps.length; step++) {
    const s = steps[step]!;
    if (s.op === 'join') {
      const name = `${s.reader ? 'read' : 'lock'}-${String(sequence++).padStart(10, '0')}`;
      children.push(name);
      evaluate(name);
    } else if (children.length > 0) {
      const [gone] = children.splice(s.pick % children.length, 1) as [string];
      holders.delete(gone);
      waiters.delete(gone);
      const notified = [...waiters].filter(([, w]) => w.watch.has(gone));
      for (const [name, waiter] of notified) {
        const counted = countdown(waiter.decision, gone);
        if (counted === undefined) evaluate(name);
        else apply(name, counted);
      }
    }
    const allowed = new Set(entitled(children));
    const report = (kind: Violation['kind']): Violation => ({
      kind,
      step,
      children: [...children],
      holders: [...holders],
    });
    if ([...holders].some((h) => !allowed.has(h))) return report('safety');
    if ([...waiters.keys()].some((w) => allowed.has(w))) return report('stranded');
  }
  return undefined;
};
