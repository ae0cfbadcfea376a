export interface WaitForOptions {
  /** Give up after this long (default 10 s). */
  readonly timeoutMs?: number;
  /** Poll interval (default 50 ms). */
  readonly intervalMs?: number;
  /** Says what was awaited, for the error. */
  readonly message?: string;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `condition` until it returns something other than `false`, `undefined` or `null`, and
 * resolves with that. For states that raise no event (a process gone, a server's mode); where an
 * event exists, await the event instead. An exception thrown by `condition` counts as "not yet";
 * the last one is quoted in the timeout error. A condition that never settles (a request to a
 * server that does not answer) is cut off at the deadline too.
 */
export const waitFor = async <T>(
  condition: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<Exclude<T, false | undefined | null>> => {
  const { timeoutMs = 10_000, intervalMs = 50, message = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await withDeadline(
        message,
        Math.max(deadline - Date.now(), 0),
        Promise.resolve(condition()),
      );
      if (value !== false && value !== undefined && value !== null) {
        return value as Exclude<T, false | undefined | null>;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`waitFor: ${message} not met within ${timeoutMs} ms${cause}`);
    }
    await delay(intervalMs);
  }
};

/**
 * `work`, or a failure saying what did not happen once `ms` passed. A test that awaits an event
 * with a bound fails at the step that hung, with `details()` (a server's log tail, the state seen so
 * far) in its message, instead of running into the test timeout without a word.
 */
export const withDeadline = async <T>(
  what: string,
  ms: number,
  work: Promise<T>,
  details: () => string = () => '',
): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const more = details();
      reject(new Error(`${what}: not within ${ms} ms${more === '' ? '' : `\n${more}`}`));
    }, ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
};
