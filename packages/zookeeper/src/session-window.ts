/**
 * How many lock operations (an acquisition up to its first decision, a release up to its end) run
 * at once on one shared session; the others wait their turn in call order.
 *
 * A caller that starts thousands of acquisitions at once (one `lock()` per key, all awaited
 * together) otherwise has every one of them build its machine and send its requests before the
 * first answer comes back, and all of that state survives V8's young-generation collections. In
 * benchmark W3 (5000 keys) the window took the process's growth from 106–117 MB to 77–82 MB; 8, 16,
 * 32 and 64 did the same there, and 32 took the least time. An operation leaves the window as soon
 * as it stops waiting for its own requests (it holds, it waits for a predecessor's deletion, it
 * awaits a reconnect, it ended), so a window never makes one lock wait for another lock's holder.
 */
export const SESSION_WINDOW = 32;

/** One operation's place in a window. */
export interface WindowTicket {
  /** Whether the operation is in the window now (it was let in and has not left). */
  readonly inside: boolean;
  /** Joins the window: the operation starts at once (synchronously) when there is room, else in turn. */
  enter(): void;
  /** Leaves the window, or gives up the place in line. Idempotent. */
  leave(): void;
}

type Place = 'new' | 'waiting' | 'inside' | 'left';

/** A `WindowTicket` as its window sees it (not exported from the package). */
export class Ticket implements WindowTicket {
  #place: Place = 'new';

  constructor(
    private readonly window: SessionWindow,
    private readonly start: () => void,
  ) {}

  get inside(): boolean {
    return this.#place === 'inside';
  }

  get waiting(): boolean {
    return this.#place === 'waiting';
  }

  enter(): void {
    if (this.#place !== 'new') return;
    if (this.window.take()) this.run();
    else {
      this.#place = 'waiting';
      this.window.queue(this);
    }
  }

  leave(): void {
    const place = this.#place;
    this.#place = 'left';
    if (place === 'inside') this.window.vacate();
  }

  /** Its turn came (the window counted it in already). */
  run(): void {
    this.#place = 'inside';
    this.start();
  }
}

/** A shared session's window; see `SESSION_WINDOW`. Obtained from `SessionPool.windowNow`. */
export class SessionWindow {
  #inside = 0;
  /** Waiting tickets in call order from `#head` on (those that left their place are skipped). */
  #line: Ticket[] = [];
  #head = 0;

  constructor(readonly size: number = SESSION_WINDOW) {}

  /** Operations inside the window now. */
  get inside(): number {
    return this.#inside;
  }

  /** Operations waiting for their turn. */
  get waiting(): number {
    let count = 0;
    for (let i = this.#head; i < this.#line.length; i += 1) if (this.#line[i]?.waiting === true) count += 1;
    return count;
  }

  /** A place for an operation that `start`s it; it joins the window on `enter()`. */
  ticket(start: () => void): WindowTicket {
    return new Ticket(this, start);
  }

  /** For tickets: counts one more operation in, if there is room. */
  take(): boolean {
    if (this.#inside >= this.size) return false;
    this.#inside += 1;
    return true;
  }

  /** For tickets: waits in line. */
  queue(ticket: Ticket): void {
    this.#line.push(ticket);
  }

  /** For tickets: an operation left, and the next ones waiting come in while there is room. */
  vacate(): void {
    this.#inside -= 1;
    while (this.#head < this.#line.length && this.#inside < this.size) {
      const next = this.#line[this.#head] as Ticket;
      this.#head += 1;
      if (!next.waiting) continue;
      this.#inside += 1;
      next.run();
    }
    if (this.#head > 0 && this.#head === this.#line.length) {
      this.#line = [];
      this.#head = 0;
    }
  }
}
