/**
 * Parsing of the `mntr` four-letter-word answer: one `key<TAB>value` pair per line.
 */
export const parseMntr = (text: string): ReadonlyMap<string, string> =>
  new Map(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .map((line): [string, string] => {
        const tab = line.search(/\s/);
        return tab < 0 ? [line, ''] : [line.slice(0, tab), line.slice(tab).trim()];
      }),
  );

/**
 * Packets the clients sent during a phase, from the `zk_packets_received` counters read before
 * and after it: every `mntr` request from the "before" read on (not the "after" read itself, which
 * the server counts after answering) is a packet the server counted too.
 */
export const packetsBetween = (before: number, after: number, mntrRequests: number): number =>
  after - before - mntrRequests;

/** The counters the bench reads from one server's `mntr` answer. */
export interface ServerCounters {
  readonly packetsReceived: number;
  readonly aliveConnections: number;
}

const counter = (fields: ReadonlyMap<string, string>, name: string): number => {
  const value = Number(fields.get(name));
  if (!Number.isSafeInteger(value)) {
    throw new Error(`mntr answer has no ${name} counter (is 4lw.commands.whitelist set?)`);
  }
  return value;
};

/** The counters of an `mntr` answer; an answer without them (4lw not whitelisted) is a setup error. */
export const mntrCounters = (text: string): ServerCounters => {
  const fields = parseMntr(text);
  return {
    packetsReceived: counter(fields, 'zk_packets_received'),
    aliveConnections: counter(fields, 'zk_num_alive_connections'),
  };
};
