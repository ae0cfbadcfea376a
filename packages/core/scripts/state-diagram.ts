import { initialTransition, type AnyStateNode } from 'xstate';
import { lockMachine, parentHint, type LockContext } from '../src/index.js';

/**
 * Renders the lock machine as a Mermaid stateDiagram by walking its state nodes, so the diagram in
 * docs/state-machine.md can never drift from the definition (a test compares them).
 */

interface Transition {
  readonly eventType: string;
  readonly target?: ReadonlyArray<AnyStateNode> | undefined;
  readonly guard?: unknown;
}

/** Mermaid ids must be unique across the diagram: `releasing.awaitingConnection` → `releasing_awaitingConnection`. */
const mermaidId = (node: AnyStateNode): string => node.path.join('_');

const eventLabel = (eventType: string, source: AnyStateNode): string => {
  if (eventType === '') return 'always';
  const done = /^DONE\.(.+)$/.exec(eventType);
  if (done) return `done ${done[1]}`;
  const error = /^FAILED\.(.+)$/.exec(eventType);
  if (error) return `error ${error[1]}`;
  const after = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (after) return `after ${after[1]}`;
  if (eventType === `xstate.done.state.${source.id}`) return 'done';
  return eventType;
};

const guardLabel = (guard: unknown): string => {
  if (guard === undefined) return '';
  if (typeof guard === 'string') return ` [${guard}]`;
  const { type, params } = guard as { type: string; params?: Record<string, unknown> };
  const shown =
    params === undefined
      ? type
      : `${type} ${Object.values(params)
          .map((v) => String(v))
          .join(' ')}`;
  return ` [${shown}]`;
};

/** A context to read the effects' params from (they name the request, whatever the attempt). */
const [{ context: sample }]: [{ context: LockContext }, unknown] = initialTransition(lockMachine, {
  attempt: {
    parentPath: '/locks/sample',
    kind: 'exclusive',
    maxHolders: 1,
    failImmediate: false,
    timeoutMs: 0,
    lockId: 'sample',
    nodeData: '',
    parent: parentHint('container', false),
  },
});

/**
 * What a state sets going on entry: the request it sends (the `request` action, whose params name
 * it; answered by `DONE.*` / `FAILED.*`) or the watch it arms (`armWatch`; answered by `WATCH.*`).
 */
const effectsOf = (node: AnyStateNode): string[] =>
  node.entry.flatMap((action) => {
    const { type, params } = (typeof action === 'string' ? { type: action } : action) as {
      type?: unknown;
      params?: unknown;
    };
    const resolved = (typeof params === 'function' ? params({ context: sample }) : params) as
      { request?: unknown } | undefined;
    if (type === 'request' && typeof resolved?.request === 'string') return [`sends ${resolved.request}`];
    return type === 'armWatch' ? ['arms watchDeletion'] : [];
  });

const transitionsOf = (node: AnyStateNode): Transition[] => [
  ...[...node.transitions.values()].flat(),
  ...(node.always ?? []).map((t) => ({ ...t, eventType: '' })),
];

const renderNode = (node: AnyStateNode, indent: string, lines: string[], edges: string[]): void => {
  const id = mermaidId(node);
  if (id !== node.key) lines.push(`${indent}state "${node.key}" as ${id}`);
  for (const effect of effectsOf(node)) lines.push(`${indent}${id} : ${effect}`);
  const children = Object.values(node.states) as AnyStateNode[];
  if (children.length > 0) {
    lines.push(`${indent}state ${id} {`);
    const initial = node.initial.target[0];
    if (initial !== undefined) lines.push(`${indent}  [*] --> ${mermaidId(initial)}`);
    for (const child of children) renderNode(child, `${indent}  `, lines, edges);
    lines.push(`${indent}}`);
  }
  if (node.type === 'final' && node.parent?.parent === undefined) edges.push(`  ${id} --> [*]`);
  for (const t of transitionsOf(node)) {
    const label = `${eventLabel(t.eventType, node)}${guardLabel(t.guard)}`;
    for (const target of t.target ?? [node]) edges.push(`  ${id} --> ${mermaidId(target)} : ${label}`);
  }
};

/** The Mermaid source of the lock machine's diagram. */
export const renderStateDiagram = (): string => {
  const root = lockMachine.root;
  const lines = ['stateDiagram-v2', `  [*] --> ${mermaidId(root.initial.target[0]!)}`];
  const edges: string[] = [];
  for (const child of Object.values(root.states) as AnyStateNode[]) renderNode(child, '  ', lines, edges);
  return [...lines, ...edges].join('\n');
};

export const BEGIN = '<!-- BEGIN GENERATED DIAGRAM: pnpm docs:machine -->';
export const END = '<!-- END GENERATED DIAGRAM -->';

/** `doc` with the text between the markers replaced by the current diagram. */
export const withDiagram = (doc: string): string => {
  const start = doc.indexOf(BEGIN);
  const end = doc.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`docs/state-machine.md lacks the markers ${BEGIN} ... ${END}`);
  return `${doc.slice(0, start + BEGIN.length)}\n\`\`\`mermaid\n${renderStateDiagram()}\n\`\`\`\n${doc.slice(end)}`;
};
