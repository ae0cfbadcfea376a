/**
 * The error an aborted wait rejects with: a `DOMException` named `AbortError`, as `fetch` and
 * Node's own APIs use, so `error.name === 'AbortError'` checks work; the signal's reason is its
 * `cause`.
 */
export const abortError = (signal: AbortSignal, what: string): DOMException =>
  new DOMException(`${what} was aborted`, { name: 'AbortError', cause: signal.reason });
