import { waitingFor, type Subject } from './subject.js';

/**
 * The "waiting for the lock" line `exec` shows on a terminal: a spinner and the time waited so far,
 * redrawn in place on stderr and erased once the wait ends. Nothing is shown when stderr is not a
 * TTY (scripts and logs get no control characters), nor for waits shorter than `DELAY_MS`.
 */

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
const DELAY_MS = 300;
const REDRAW_MS = 100;
const ERASE_LINE = '\r\x1b[2K';

/** One frame of the indicator, e.g. `⠹ waiting for lock 'reports' … 12.3s`. */
export const waitingLine = (
  key: string,
  elapsedMs: number,
  tick: number,
  subject: Subject = 'lock',
): string =>
  `${FRAMES[tick % FRAMES.length]} ${waitingFor(subject, key)} … ${(elapsedMs / 1000).toFixed(1)}s`;

export interface Indicator {
  readonly stop: () => void;
}

export const startWaitIndicator = (
  stream: NodeJS.WriteStream,
  key: string,
  subject: Subject = 'lock',
): Indicator => {
  if (!stream.isTTY) return { stop: () => undefined };
  const started = performance.now();
  let tick = 0;
  let shown = false;
  let redraw: NodeJS.Timeout | undefined;
  const delay = setTimeout(() => {
    redraw = setInterval(() => {
      shown = true;
      stream.write(ERASE_LINE + waitingLine(key, performance.now() - started, tick++, subject));
    }, REDRAW_MS);
  }, DELAY_MS);
  return {
    stop: () => {
      clearTimeout(delay);
      clearInterval(redraw);
      if (shown) stream.write(ERASE_LINE);
    },
  };
};
