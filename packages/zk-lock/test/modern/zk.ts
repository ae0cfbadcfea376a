import zookeeper from '@zk-lock/node-zookeeper-client';

/** Promise helpers over a raw node-zookeeper-client client, to inspect the tree behind the library's back. */

/** The children of `path`, sorted; `[]` when `path` does not exist. */
export const childrenOf = (client: zookeeper.Client, path: string): Promise<string[]> =>
  new Promise((resolve, reject) =>
    client.getChildren(path, (error, children) => {
      if (error instanceof zookeeper.Exception && error.getCode() === zookeeper.Exception.NO_NODE)
        resolve([]);
      else if (error) reject(error);
      else resolve([...children].sort());
    }),
  );

/** Creates `path` (and its missing ancestors) as persistent nodes. */
export const mkdirp = (client: zookeeper.Client, path: string): Promise<void> =>
  new Promise((resolve, reject) => client.mkdirp(path, (error) => (error ? reject(error) : resolve())));

/** Creates an ephemeral sequential `lock-` node with `data`, the way a zk-lock 2.x client does. */
export const createLegacyLockNode = (
  client: zookeeper.Client,
  parent: string,
  data = 'lock',
): Promise<string> =>
  new Promise((resolve, reject) =>
    client.create(
      `${parent}/lock-`,
      Buffer.from(data),
      zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
      (error, path) => (error ? reject(error) : resolve(path.slice(parent.length + 1))),
    ),
  );

/**
 * Resolves once `path` has at least `count` children, woken by child watches rather than polling
 * (for contenders in other processes, whose start-up time varies with the machine's load).
 */
export const childrenReach = (client: zookeeper.Client, path: string, count: number): Promise<void> =>
  new Promise((resolve, reject) => {
    const look = (): void =>
      client.getChildren(
        path,
        () => look(),
        (error, children) => {
          if (error instanceof zookeeper.Exception && error.getCode() === zookeeper.Exception.NO_NODE)
            client.exists(
              path,
              () => look(),
              (existsError, stat) => (existsError ? reject(existsError) : stat ? look() : undefined),
            );
          else if (error) reject(error);
          else if (children.length >= count) resolve();
        },
      );
    look();
  });
