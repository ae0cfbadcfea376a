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

/** `zk_packets_received` of an `mntr` answer; a server that does not report it is a setup error. */
export const packetsReceived = (text: string): number => {
  const raw = parseMntr(text).get('zk_packets_received');
  const value = raw === undefined ? NaN : Number(raw);
  if (!Number.isSafeInteger(value)) {
    throw new Error(`mntr answer has no zk_packets_received counter (is 4lw.commands.whitelist set?)`);
  }
  return value;
};

/**
 * Packets the clients sent during a phase, from the counters read before and after it: the
 * `mntr` request that read the "before" counter is itself a packet the server counts, once per
 * server asked.
 */
export const packetsBetween = (before: number, after: number, serversAsked: number): number =>
  after - before - serversAsked;
