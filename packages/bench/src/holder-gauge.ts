/**
 * The in-process count of lock holders. Every client of a workload increments it when its lock
 * resolves and decrements it before it releases, so it sees at least as much overlap as the
 * server allowed: a count above `limit` is a safety violation of the lock.
 *
 * It also integrates the count over time, for the time-weighted mean number of holders (how well
 * a semaphore keeps its slots busy).
 */
export class HolderGauge {
  private holders = 0;
  private peak = 0;
  private violationCount = 0;
  private area = 0;
  private readonly startedAt: number;
  private lastChange: number;

  constructor(
    private readonly limit: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
    this.lastChange = this.startedAt;
  }

  acquired(): void {
    this.step(+1);
    if (this.holders > this.peak) this.peak = this.holders;
    if (this.holders > this.limit) this.violationCount++;
  }

  released(): void {
    this.step(-1);
  }

  get current(): number {
    return this.holders;
  }

  get maxHolders(): number {
    return this.peak;
  }

  /** How many acquisitions found the count already at the limit. */
  get violations(): number {
    return this.violationCount;
  }

  /** Mean number of holders between construction and now, weighted by how long each count lasted. */
  averageHolders(): number {
    const at = this.now();
    const elapsed = at - this.startedAt;
    if (elapsed <= 0) return this.holders;
    return (this.area + this.holders * (at - this.lastChange)) / elapsed;
  }

  private step(delta: number): void {
    const at = this.now();
    this.area += this.holders * (at - this.lastChange);
    this.lastChange = at;
    this.holders += delta;
  }
}
