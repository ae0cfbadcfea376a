import type { ZkSession } from './session.js';

/**
 * Lock parents a session has seen exist: plain data for the hint an attempt starts with
 * (`LockPort.parentHint`), from which the lock machine decides whether a create of the parent goes
 * ahead of the lock node's. Bounded, least recently used first out: forgetting a parent costs one
 * extra (harmless) create, never a wrong answer, since a parent known here but deleted since (an
 * empty container the server reaped) makes the node's create fail with NO_NODE, and the machine
 * creates the parents again.
 */
export class KnownParents {
  readonly #paths = new Set<string>();

  constructor(private readonly capacity: number) {}

  /** Whether `path` is known; a hit makes it the most recently used. */
  has(path: string): boolean {
    if (!this.#paths.delete(path)) return false;
    this.#paths.add(path);
    return true;
  }

  add(path: string): void {
    this.#paths.delete(path);
    this.#paths.add(path);
    if (this.#paths.size > this.capacity) this.#paths.delete(this.#paths.values().next().value as string);
  }

  delete(path: string): void {
    this.#paths.delete(path);
  }
}

/** Lock parents remembered per session (a few thousand: W3-sized bursts of new keys fit). */
export const KNOWN_PARENTS_PER_SESSION = 4_096;

const bySession = new WeakMap<ZkSession, KnownParents>();

/** The parents `session` has seen exist; a new session knows none. */
export const knownParents = (session: ZkSession): KnownParents => {
  let known = bySession.get(session);
  if (known === undefined) bySession.set(session, (known = new KnownParents(KNOWN_PARENTS_PER_SESSION)));
  return known;
};
