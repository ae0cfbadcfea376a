import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerAddress } from './connect-string.js';
import { fourLetterWord } from './four-letter.js';
import { mntrCounters, packetsBetween, type ServerCounters } from './mntr.js';

/**
 * Counts the packets the servers received during a measured phase, from `mntr` read just before
 * and just after it. Every `mntr` request is itself a packet the server counts, so the meter
 * subtracts the ones it sent from the first read up to (not including) the last. Meaningful only
 * on servers the benchmark has to itself.
 */
export class PacketMeter {
  private mntrRequests = 0;

  constructor(private readonly servers: ReadonlyArray<ServerAddress>) {}

  /** Read the counters now (a phase may do so, e.g. to count connections while all locks are held). */
  async read(): Promise<ServerCounters> {
    this.mntrRequests += this.servers.length;
    const answers = await Promise.all(this.servers.map((server) => fourLetterWord(server, 'mntr')));
    return answers.map(mntrCounters).reduce((sum, c) => ({
      packetsReceived: sum.packetsReceived + c.packetsReceived,
      aliveConnections: sum.aliveConnections + c.aliveConnections,
    }));
  }

  /** Run `phase` and return its result with the packets the servers received from clients meanwhile. */
  async measure<A>(phase: () => Promise<A>): Promise<{ readonly result: A; readonly packets: number }> {
    const before = await this.read();
    const requestsBefore = this.mntrRequests;
    const result = await phase();
    const requestsDuring = this.mntrRequests - requestsBefore;
    const after = await this.read();
    return {
      result,
      packets: packetsBetween(
        before.packetsReceived,
        after.packetsReceived,
        this.servers.length + requestsDuring,
      ),
    };
  }

  /**
   * Wait (bounded) until no client is connected but our own `mntr` request, so that sessions a
   * previous run is still closing send no packet into the next run's measured phase. On a server
   * that others use too this gives up after `limitMs` and the counts include their traffic.
   */
  async quiesce(limitMs = 5_000): Promise<void> {
    const until = performance.now() + limitMs;
    while ((await this.read()).aliveConnections > this.servers.length && performance.now() < until) {
      await sleep(50);
    }
  }
}
