import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/** Ports below this are left alone (well-known and commonly configured services). */
const LOWEST_PORT = 10_000;
/** Candidates tried per port wanted before giving up on the range below the ephemeral ones. */
const TRIES_PER_PORT = 20;

/**
 * The first port of the kernel's ephemeral range (Linux `ip_local_port_range`), or undefined where
 * it cannot be read. Ports the kernel hands to outgoing connections come from that range.
 */
const ephemeralLow = (): number | undefined => {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : undefined;
  } catch {
    return undefined;
  }
};

const listenOn = (port: number): Promise<Server | undefined> =>
  new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, LOOPBACK, () => resolve(server));
  });

const portOf = (server: Server): number => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return address.port;
};

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

/** Up to `count` listeners on random free ports in [low, high). */
const listenBelow = async (count: number, low: number, high: number): Promise<Server[]> => {
  const servers: Server[] = [];
  const taken = new Set<number>();
  for (let tries = 0; servers.length < count && tries < count * TRIES_PER_PORT; tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (taken.has(port)) continue;
    taken.add(port);
    const server = await listenOn(port);
    if (server !== undefined) servers.push(server);
  }
  return servers;
};

/**
 * `count` distinct free ports on 127.0.0.1. All listeners stay open until every port is known, so
 * the same port is never handed out twice; another process may still take one before ZooKeeper
 * binds it, which the caller handles by retrying the start.
 *
 * The ports come from below the ephemeral range where there is one: a member that is stopped and
 * started again binds its old port once more, and a port of the ephemeral range can be taken
 * meanwhile by any outgoing connection on the machine, even by a client's own reconnect to that
 * very port (a TCP self-connect), which would keep the member from ever coming back.
 */
export const freePorts = async (count: number): Promise<number[]> => {
  const high = ephemeralLow();
  const servers =
    high !== undefined && high - LOWEST_PORT >= 1_000 ? await listenBelow(count, LOWEST_PORT, high) : [];
  while (servers.length < count) {
    const server = await listenOn(0);
    if (server === undefined) throw new Error('freePorts: cannot listen on any port of 127.0.0.1');
    servers.push(server);
  }
  const ports = servers.map(portOf);
  await Promise.all(servers.map(closeServer));
  return ports;
};
