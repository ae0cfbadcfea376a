import { createServer, type Server } from 'node:net';

export const LOOPBACK = '127.0.0.1';

const listenOnAnyPort = (): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve(server));
  });

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

/**
 * `count` distinct free ports on 127.0.0.1. All listeners stay open until every port is known, so the
 * kernel cannot hand out the same port twice; another process may still take one before ZooKeeper
 * binds it, which the caller handles by retrying the start.
 */
export const freePorts = async (count: number): Promise<number[]> => {
  const servers = await Promise.all(Array.from({ length: count }, listenOnAnyPort));
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return address.port;
  });
  await Promise.all(servers.map(closeServer));
  return ports;
};
