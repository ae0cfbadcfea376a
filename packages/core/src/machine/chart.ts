import type { AnyStateMachine, StateValue } from 'xstate';

/**
 * An xstate machine's resolved definition, read once into plain tables: which transitions each
 * state has, and (computed on first use, then kept) what taking a transition from a given active
 * state does. `runner.ts` steps through these instead of recomputing exit and entry sets, domains
 * and snapshots on every event as xstate's interpreter does, which was most of the CPU an
 * acquisition spent in the lock machine. The semantics are xstate's (SCXML's), for the subset the
 * lock machine uses; `compileChart` rejects a machine that goes beyond it, and the runner is
 * checked against xstate's own actor on every path of the model tests.
 *
 * Supported: atomic, compound and final states (one active state per level, no parallel or
 * history states), `on`, `always`, `after`, a compound state's `onDone`, guards by name (with
 * params) and xstate's `and`/`or`/`not`, actions by name (with params, also as functions of the
 * context), inline functions, and the builtins `assign`, `raise` (delayed or not) and `cancel`.
 * Not supported: `invoke`, spawned or stopped children, `sendTo`, `emit`, `enqueueActions`,
 * `log`, wildcard or partial event descriptors.
 */

/** xstate's StateNode and TransitionDefinition, as far as the chart reads them. */
interface XNode {
  readonly id: string;
  readonly key: string;
  readonly type: string;
  readonly order: number;
  readonly parent?: XNode;
  readonly states: Readonly<Record<string, XNode>>;
  readonly entry: ReadonlyArray<unknown>;
  readonly exit: ReadonlyArray<unknown>;
  readonly invoke: ReadonlyArray<unknown>;
  readonly always?: ReadonlyArray<XTransition>;
  readonly transitions: ReadonlyMap<string, ReadonlyArray<XTransition>>;
  readonly initial?: { readonly target: ReadonlyArray<XNode>; readonly actions: ReadonlyArray<unknown> };
}

interface XTransition {
  readonly source: XNode;
  readonly target?: ReadonlyArray<XNode>;
  readonly reenter: boolean;
  readonly guard?: unknown;
  readonly actions: ReadonlyArray<unknown>;
}

export interface ChartNode {
  readonly id: string;
  readonly type: 'atomic' | 'compound' | 'final';
  readonly order: number;
  readonly parent: ChartNode | undefined;
  readonly entry: ReadonlyArray<unknown>;
  readonly exit: ReadonlyArray<unknown>;
  readonly on: ReadonlyMap<string, ReadonlyArray<ChartTransition>>;
  readonly always: ReadonlyArray<ChartTransition>;
  /** A compound state's initial child and the actions of its initial transition. */
  readonly initial: { readonly target: ChartNode; readonly actions: ReadonlyArray<unknown> } | undefined;
  /** The state value while this (atomic or final) state is the active one, shared by every snapshot. */
  readonly value: StateValue;
  /** Keys from the root down, e.g. `['held', 'live']`. */
  readonly path: ReadonlyArray<string>;
}

export interface ChartTransition {
  readonly source: ChartNode;
  readonly targets: ReadonlyArray<ChartNode> | undefined;
  readonly reenter: boolean;
  readonly guard: unknown;
  readonly actions: ReadonlyArray<unknown>;
}

/** What one transition does from one active state: xstate's microstep, worked out once. */
export interface Step {
  /** Exit actions (innermost first), the transition's actions, entry actions (outermost first). */
  readonly actions: ReadonlyArray<unknown>;
  /** The active atomic or final state afterwards. */
  readonly leaf: ChartNode;
  /** Internal `xstate.done.state.<id>` events: a compound state reached its final child. */
  readonly doneEvents: ReadonlyArray<{ readonly type: string }>;
  /** A top-level final state was entered: the machine is done. */
  readonly done: boolean;
}

export interface Chart {
  readonly machine: AnyStateMachine;
  readonly root: ChartNode;
  /** The initial microstep: from nothing into the initial states. */
  readonly initialStep: Step;
  /** The step `transition` takes from `leaf`. */
  readonly step: (transition: ChartTransition, leaf: ChartNode) => Step;
}

const SUPPORTED_BUILTINS = new Set(['xstate.assign', 'xstate.raise', 'xstate.cancel']);
const SUPPORTED_GUARD_COMBINATORS = new Set(['and', 'or', 'not']);

const fail = (message: string): never => {
  throw new Error(`compileChart: ${message}`);
};

/**
 * What an action or guard reference of a transition stands for, as xstate resolves it: an inline
 * function is itself, a name or a `{ type, params }` object is looked up in the implementations.
 */
export const implementationOf = (implementations: object, reference: unknown): unknown =>
  typeof reference === 'function'
    ? reference
    : (implementations as Record<string, unknown>)[
        typeof reference === 'string' ? reference : (reference as { type: string }).type
      ];

/** Checks that every action and guard is one the runner implements. */
const checkAction = (machine: AnyStateMachine, action: unknown, where: string): void => {
  const resolved = implementationOf(machine.implementations.actions, action);
  if (typeof resolved !== 'function')
    return fail(`action ${JSON.stringify(action)} in ${where} is not implemented`);
  const type = (resolved as { type?: string }).type;
  if ('resolve' in resolved && (type === undefined || !SUPPORTED_BUILTINS.has(type)))
    fail(`builtin action ${type ?? '?'} in ${where} is not supported`);
};

const checkGuard = (machine: AnyStateMachine, guard: unknown, where: string): void => {
  if (guard === undefined) return;
  const resolved = implementationOf(machine.implementations.guards, guard);
  if (typeof resolved !== 'function')
    return fail(`guard ${JSON.stringify(guard)} in ${where} is not implemented`);
  if (!('check' in resolved)) return;
  if (!SUPPORTED_GUARD_COMBINATORS.has(resolved.name))
    fail(`builtin guard ${resolved.name} in ${where} is not supported`);
  for (const inner of (resolved as unknown as { guards: ReadonlyArray<unknown> }).guards)
    checkGuard(machine, inner, where);
};

const isDescendant = (child: ChartNode, ancestor: ChartNode | undefined): boolean => {
  let marker = child;
  while (marker.parent !== undefined && marker.parent !== ancestor) marker = marker.parent;
  return marker.parent === ancestor;
};

/** The ancestors of `node` from its parent up to (not including) `stop`; the root when `stop` is undefined. */
const properAncestors = (node: ChartNode, stop: ChartNode | undefined): ChartNode[] => {
  const result: ChartNode[] = [];
  for (let marker = node.parent; marker !== undefined && marker !== stop; marker = marker.parent)
    result.push(marker);
  return result;
};

const activeNodes = (leaf: ChartNode): ChartNode[] => [leaf, ...properAncestors(leaf, undefined)];

/** SCXML's transition domain, as xstate computes it. */
const transitionDomain = (t: ChartTransition, root: ChartNode): ChartNode | undefined => {
  const targets = t.targets ?? [];
  if (!t.reenter && targets.every((target) => target === t.source || isDescendant(target, t.source)))
    return t.source;
  const [head, ...tail] = [...targets, t.source];
  if (head !== undefined)
    for (const ancestor of properAncestors(head, undefined))
      if ([...tail].every((node) => isDescendant(node, ancestor))) return ancestor;
  return t.reenter ? undefined : root;
};

/** xstate's computeEntrySet for one transition: the states to enter and those entered by default. */
const entrySet = (t: ChartTransition, domain: ChartNode | undefined) => {
  const enter = new Set<ChartNode>();
  const byDefault = new Set<ChartNode>();
  const addDescendants = (node: ChartNode): void => {
    if (node.initial === undefined) return;
    const child = node.initial.target;
    enter.add(child);
    byDefault.add(child);
    addDescendants(child);
  };
  const reentrancyDomain = t.source.parent === undefined && t.reenter ? undefined : domain;
  for (const target of t.targets ?? []) {
    if (t.source !== target || t.source !== domain || t.reenter) {
      enter.add(target);
      byDefault.add(target);
    }
    addDescendants(target);
    for (const ancestor of properAncestors(target, domain))
      if (reentrancyDomain === undefined || isDescendant(ancestor, reentrancyDomain)) enter.add(ancestor);
  }
  return { enter: [...enter].sort((a, b) => a.order - b.order), byDefault };
};

const computeStep = (t: ChartTransition, leaf: ChartNode, root: ChartNode, initial: boolean): Step => {
  const active = new Set(initial ? [] : activeNodes(leaf));
  if (t.targets === undefined || t.targets.length === 0)
    return { actions: t.actions, leaf, doneEvents: [], done: false };
  const domain = transitionDomain(t, root);
  const exits = initial
    ? []
    : [...active]
        .filter((node) => isDescendant(node, domain) || (t.reenter && node === domain && t.source === domain))
        .sort((a, b) => b.order - a.order);
  for (const node of exits) active.delete(node);
  const { enter, byDefault } = entrySet(t, domain);
  if (initial) byDefault.add(root);
  const actions: unknown[] = [...exits.flatMap((node) => node.exit), ...t.actions];
  const doneEvents: { type: string }[] = [];
  let done = false;
  for (const node of enter) {
    active.add(node);
    actions.push(...node.entry);
    if (byDefault.has(node) && node.initial !== undefined) actions.push(...node.initial.actions);
    if (node.type !== 'final') continue;
    const parent = node.parent;
    if (parent !== undefined && parent.parent !== undefined)
      doneEvents.push({ type: `xstate.done.state.${parent.id}` });
    else done = true;
  }
  if (done) actions.push(...[...active].sort((a, b) => b.order - a.order).flatMap((node) => node.exit));
  const deepest = [...active].filter((node) => node.type !== 'compound');
  const next = deepest[0];
  if (deepest.length !== 1 || next === undefined)
    return fail(`a step from ${leaf.id} leaves ${deepest.length} active leaves`);
  return { actions, leaf: next, doneEvents, done };
};

/**
 * Reads `machine` into a chart. Throws when the machine uses a feature the runner does not
 * implement (see above), so that it can never run a machine differently from xstate silently.
 */
/** A chart node while the chart is being built. */
type NodeUnderConstruction = { -readonly [K in keyof ChartNode]: ChartNode[K] } & {
  on: Map<string, ChartTransition[]>;
  always: ChartTransition[];
};

export const compileChart = (machine: AnyStateMachine): Chart => {
  const byXNode = new Map<XNode, NodeUnderConstruction>();
  const build = (x: XNode, parent: ChartNode | undefined, path: ReadonlyArray<string>) => {
    if (x.type !== 'atomic' && x.type !== 'compound' && x.type !== 'final')
      return fail(`state ${x.id} is ${x.type}; only atomic, compound and final states are supported`);
    if (x.invoke.length > 0) fail(`state ${x.id} invokes actors`);
    const valueOf = (keys: ReadonlyArray<string>): StateValue =>
      keys.length === 1 ? (keys[0] as string) : { [keys[0] as string]: valueOf(keys.slice(1)) };
    const node: NodeUnderConstruction = {
      id: x.id,
      type: x.type,
      order: x.order,
      parent,
      entry: x.entry,
      exit: x.exit,
      on: new Map<string, ChartTransition[]>(),
      always: [],
      initial: undefined,
      value: path.length === 0 ? {} : valueOf(path),
      path,
    };
    byXNode.set(x, node);
    for (const child of Object.values(x.states)) build(child, node, [...path, child.key]);
    return node;
  };
  const xRoot = machine.root as unknown as XNode;
  const root = build(xRoot, undefined, []);
  const resolveNode = (x: XNode): ChartNode => byXNode.get(x) ?? fail(`unknown state ${x.id}`);
  const convert = (t: XTransition, where: string): ChartTransition => {
    checkGuard(machine, t.guard, where);
    for (const action of t.actions) checkAction(machine, action, where);
    return {
      source: resolveNode(t.source),
      targets: t.target?.map(resolveNode),
      reenter: t.reenter,
      guard: t.guard,
      actions: t.actions,
    };
  };
  for (const [x, node] of byXNode) {
    for (const action of [...x.entry, ...x.exit]) checkAction(machine, action, x.id);
    for (const [eventType, transitions] of x.transitions) {
      if (eventType.includes('*')) fail(`state ${x.id} has the wildcard event descriptor ${eventType}`);
      node.on.set(
        eventType,
        transitions.map((t) => convert(t, `${x.id} on ${eventType}`)),
      );
    }
    node.always.push(...(x.always ?? []).map((t) => convert(t, `${x.id} always`)));
    if (x.type === 'compound' && x.initial !== undefined) {
      const [target] = x.initial.target;
      if (target === undefined || x.initial.target.length !== 1)
        fail(`state ${x.id} has no single initial state`);
      for (const action of x.initial.actions) checkAction(machine, action, `${x.id} initial`);
      node.initial = { target: resolveNode(target as XNode), actions: x.initial.actions };
    }
  }
  const steps = new WeakMap<ChartTransition, Map<ChartNode, Step>>();
  const initialTransition: ChartTransition = {
    source: root,
    targets: root.initial === undefined ? [] : [root.initial.target],
    reenter: true,
    guard: undefined,
    actions: [],
  };
  return {
    machine,
    root,
    initialStep: computeStep(initialTransition, root, root, true),
    step: (transition, leaf) => {
      let byLeaf = steps.get(transition);
      if (byLeaf === undefined) steps.set(transition, (byLeaf = new Map()));
      let step = byLeaf.get(leaf);
      if (step === undefined) byLeaf.set(leaf, (step = computeStep(transition, leaf, root, false)));
      return step;
    },
  };
};
