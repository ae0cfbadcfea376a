import zookeeper from '@zk-lock/node-zookeeper-client';
import { zkCode } from './zk-errors.js';

const children = (client: zookeeper.Client, path: string): Promise<string[]> =>
  new Promise((resolve, reject) =>
    client.getChildren(path, (error, names) => {
      if (!error) resolve(names);
      else if (zkCode(error) === zookeeper.Exception.NO_NODE) resolve([]);
      else reject(error);
    }),
  );

/** Every `lock-` node below `root` (at any depth), by full path. */
export const lockNodesUnder = async (client: zookeeper.Client, root: string): Promise<string[]> => {
  const found: string[] = [];
  for (const name of await children(client, root)) {
    const path = `${root}/${name}`;
    if (name.startsWith('lock-')) found.push(path);
    else found.push(...(await lockNodesUnder(client, path)));
  }
  return found;
};
