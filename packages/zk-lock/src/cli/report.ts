/**
 * Errors as the CLI prints them: one line `zk-lock: <message>` on stderr; the stack (with its
 * causes) only under `--verbose`.
 */

const stackOf = (error: unknown): string => {
  if (!(error instanceof Error)) return String(error);
  const own = error.stack ?? `${error.name}: ${error.message}`;
  return error.cause === undefined ? own : `${own}\nCaused by: ${stackOf(error.cause)}`;
};

export const printNotice = (message: string): void => {
  process.stderr.write(`zk-lock: ${message}\n`);
};

export const printError = (message: string, error: unknown, verbose: boolean): void => {
  printNotice(message);
  if (verbose) process.stderr.write(`${stackOf(error)}\n`);
};
