import type { ServerAddress } from './connect-string.js';
import { fourLetterWord } from './four-letter.js';
import { packetsBetween, packetsReceived } from './mntr.js';

/**
 * Counts the packets the servers received during a measured phase, from `mntr` read just before
 * and just after it. Meaningful only on servers the benchmark has to itself.
 */
export class PacketMeter {
  constructor(private readonly servers: ReadonlyArray<ServerAddress>) {}

  /** Run `phase` and return its result with the packets the servers received meanwhile. */
  async measure<A>(phase: () => Promise<A>): Promise<{ readonly result: A; readonly packets: number }> {
    const before = await this.read();
    const result = await phase();
    const after = await this.read();
    return { result, packets: packetsBetween(before, after, this.servers.length) };
  }

  private async read(): Promise<number> {
    const answers = await Promise.all(this.servers.map((server) => fourLetterWord(server, 'mntr')));
    return answers.map(packetsReceived).reduce((a, b) => a + b, 0);
  }
}
