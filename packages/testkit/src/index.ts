export { startZooKeeper, type StartZooKeeperOptions, type ZooKeeper } from './zookeeper.js';
export type { ZooKeeperMember } from './member.js';
export type { FourLetterWord, ServerMode } from './four-letter.js';
export { locateZooKeeper, type ZooKeeperInstall } from './locate.js';
export { startTcpProxy, type TcpProxy, type TcpProxyOptions } from './tcp-proxy.js';
export { connectRaw, type ConnectRawOptions } from './connect-raw.js';
export { waitFor, withDeadline, type WaitForOptions } from './wait-for.js';
export { digest } from './digest.js';
