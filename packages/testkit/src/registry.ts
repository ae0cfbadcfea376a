/** Something that owns OS processes or files and can drop them synchronously at process exit. */
export interface Disposable {
  disposeSync(): void;
}

const live = new Set<Disposable>();
let hooked = false;

/**
 * Remembers `resource` until `forget`. When this process exits with resources still live (a test
 * that failed before its cleanup ran, or a script that forgot `close()`), they are dropped then.
 * Deaths by signal are the watchdog's job.
 */
export const track = (resource: Disposable): void => {
  live.add(resource);
  if (!hooked) {
    hooked = true;
    process.once('exit', () => {
      for (const each of live) each.disposeSync();
      live.clear();
    });
  }
};

export const forget = (resource: Disposable): void => {
  live.delete(resource);
};
