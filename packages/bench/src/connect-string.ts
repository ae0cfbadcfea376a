export interface ServerAddress {
  readonly host: string;
  readonly port: number;
}

/**
 * The servers of a ZooKeeper connect string `host:port[,host:port...][/chroot]`, with a clear
 * error naming the bad part (the bench is driven by other tools; a typo must not look like a hang).
 */
export const parseConnectString = (connectString: string): ReadonlyArray<ServerAddress> => {
  const hosts = connectString.split('/')[0] ?? '';
  if (hosts.trim() === '') throw new Error(`connectString is empty: "${connectString}"`);
  return hosts.split(',').map((part) => {
    const match = /^\s*([^:\s]+):(\d{1,5})\s*$/.exec(part);
    const port = match ? Number(match[2]) : NaN;
    if (!match || port < 1 || port > 65535) {
      throw new Error(`connectString: "${part}" is not host:port (in "${connectString}")`);
    }
    return { host: match[1] as string, port };
  });
};
