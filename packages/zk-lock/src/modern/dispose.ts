/**
 * `Symbol.asyncDispose` for runtimes that predate it (Node 20 before 20.5; newer ones define it).
 * TypeScript's and esbuild's `await using` down-levelling look the symbol up at run time, so it
 * must exist before a lock handle is disposed. Node registers it as `Symbol.for('nodejs.asyncDispose')`;
 * using the same registered symbol keeps us compatible with Node's own once it appears.
 */
if (typeof Symbol.asyncDispose !== 'symbol') {
  Object.defineProperty(Symbol, 'asyncDispose', { value: Symbol.for('nodejs.asyncDispose') });
}

export const asyncDispose: typeof Symbol.asyncDispose = Symbol.asyncDispose;
