/**
 * zk-lock's session window for the floor (`SessionWindow` in `@zk-lock/zookeeper`), without loading
 * zk-lock's adapter: every operation is started by its caller at once, at most `size` of them run,
 * the rest wait their turn in call order. A test checks `FLOOR_WINDOW` against `SESSION_WINDOW`.
 */
export const FLOOR_WINDOW = 32;

/** Runs each operation passed to the returned function once fewer than `size` others run. */
export const inTurn = (size: number) => {
  let running = 0;
  const line: Array<() => void> = [];
  const next = (): void => {
    running -= 1;
    line.shift()?.();
  };
  return <A>(operation: () => Promise<A>): Promise<A> =>
    new Promise<A>((resolve, reject) => {
      const run = (): void => {
        running += 1;
        operation().then(resolve, reject).finally(next);
      };
      if (running < size) run();
      else line.push(run);
    });
};
