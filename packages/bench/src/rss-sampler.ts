/**
 * Samples the process's resident set size on a short interval and keeps the peak, because the
 * peak of a burst (all W3 locks held at once) is gone by the time the burst's promise settles.
 */
export class RssSampler {
  private peakBytes = process.memoryUsage.rss();
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 5) {
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  /** Stop sampling; returns the peak RSS seen, in bytes. */
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return this.peakBytes;
  }

  private sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peakBytes) this.peakBytes = rss;
  }
}

export const megabytes = (bytes: number): number => bytes / (1024 * 1024);
