import zookeeper from '@zk-lock/node-zookeeper-client';

export interface ConnectRawOptions {
  /** Requested session timeout (default 10 s). */
  readonly sessionTimeout?: number;
  /** Bound on the wait for the first `connected` event (default 10 s). */
  readonly timeoutMs?: number;
}

/**
 * A connected plain node-zookeeper-client client (the workspace's one client, the fork
 * @zk-lock/node-zookeeper-client: its public API is 1.1.3's), e.g. to play a zk-lock 2.x
 * participant or to inspect the tree behind the library's back. The caller closes it.
 */
export const connectRaw = (
  connectString: string,
  { sessionTimeout = 10_000, timeoutMs = 10_000 }: ConnectRawOptions = {},
): Promise<zookeeper.Client> =>
  new Promise((resolve, reject) => {
    const client = zookeeper.createClient(connectString, { sessionTimeout });
    const timer = setTimeout(() => {
      client.close();
      reject(new Error(`connectRaw: no session with ${connectString} within ${timeoutMs} ms`));
    }, timeoutMs);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
