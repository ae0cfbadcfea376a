/**
 * The session's own "last heard from the server" clock. node-zookeeper-client raises nothing while
 * a server is paused or a partition is silent, so a lock holder would never learn that its
 * session expired. The clock remembers the *send* time of the last request the server answered:
 * the server received that request after it was sent, so it cannot expire the session earlier
 * than that send time + the session timeout. Declaring the session lost at exactly that moment
 * tells the holder no later than the server can act, whatever the network or the server did.
 *
 * - idle for 1/3 of the timeout: ask for a ping (never while a request is in flight: its answer
 *   refreshes the clock just as well, so busy sessions cost no extra packets);
 * - 2/3 of the timeout without an answer, or the socket dropped: `suspended`;
 * - an answer sent less than 2/3 of the timeout ago, with the socket up: `reconnected`;
 * - the whole timeout: `lost`, terminal.
 *
 * Time is read from the monotonic clock whenever something happens or the single timer fires;
 * nothing counts ticks, so a blocked event loop is judged by the time that really passed.
 */

export interface LivenessHooks {
  /** Send a cheap request through `sent`/`settled`. */
  readonly ping: () => void;
  readonly suspended: (lostInMs: number) => void;
  readonly reconnected: () => void;
  readonly lost: () => void;
}

/** How a request ended, as far as the clock is concerned. */
export type ReplyKind =
  /** A server answered (success or a ZooKeeper error such as NO_NODE). */
  | 'answered'
  /** The socket dropped under the request. */
  | 'connection-loss'
  /** Anything else (a local error, an argument error): no evidence either way. */
  | 'other';

export type LivenessPhase = 'live' | 'suspended' | 'lost' | 'stopped';

const PING_AFTER = 1 / 3;
const SUSPEND_AFTER = 2 / 3;

export class LivenessClock {
  #lastAnsweredSentAt: number;
  #inFlight = 0;
  #socketDown = false;
  #phase: LivenessPhase = 'live';
  #timer: NodeJS.Timeout | undefined;
  #wakeAt = Infinity;
  /** A ping that fails synchronously (a dead client) must not ask for the next one from within. */
  #pinging = false;

  /**
   * @param timeoutMs the negotiated session timeout (read on every check: a reconnect may renegotiate it)
   * @param answeredSentAt send time of the request whose answer proved the session live
   */
  constructor(
    private readonly timeoutMs: () => number,
    answeredSentAt: number,
    private readonly hooks: LivenessHooks,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#lastAnsweredSentAt = answeredSentAt;
  }

  get phase(): LivenessPhase {
    return this.#phase;
  }

  /** Send time of the last request a server answered (`performance.now()` time base). */
  get lastAnsweredSentAt(): number {
    return this.#lastAnsweredSentAt;
  }

  /** A request leaves now; hand the returned send time back to `settled`. */
  sent(): number {
    this.#inFlight += 1;
    return this.now();
  }

  settled(sentAt: number, reply: ReplyKind): void {
    this.#inFlight -= 1;
    if (reply === 'answered' && sentAt > this.#lastAnsweredSentAt) this.#lastAnsweredSentAt = sentAt;
    // The client fails in-flight requests with CONNECTION_LOSS just before it reports `disconnected`.
    if (reply === 'connection-loss') this.#socketDown = true;
    this.check();
  }

  disconnected(): void {
    this.#socketDown = true;
    this.check();
  }

  connected(): void {
    this.#socketDown = false;
    this.check();
  }

  /** Ends the clock without a `lost` (the session is being closed on purpose). */
  stop(): void {
    if (this.#phase !== 'lost') this.#phase = 'stopped';
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Judges the session by the time that passed; raises what changed and arms the next wake-up. */
  check(): void {
    if (this.#phase === 'lost' || this.#phase === 'stopped') return;
    const now = this.now();
    const timeout = this.timeoutMs();
    const lostAt = this.#lastAnsweredSentAt + timeout;
    if (now >= lostAt) {
      this.stop();
      this.#phase = 'lost';
      this.hooks.lost();
      return;
    }
    const suspendAt = this.#lastAnsweredSentAt + timeout * SUSPEND_AFTER;
    if (this.#phase === 'live' && (this.#socketDown || now >= suspendAt)) {
      this.#phase = 'suspended';
      this.hooks.suspended(lostAt - now);
    } else if (this.#phase === 'suspended' && !this.#socketDown && now < suspendAt) {
      this.#phase = 'live';
      this.hooks.reconnected();
    }
    // While suspended, ask at once whether the server is back (one ping in flight at a time).
    const pingAt = this.#phase === 'suspended' ? now : this.#lastAnsweredSentAt + timeout * PING_AFTER;
    if (this.#idle() && now >= pingAt && !this.#pinging) {
      this.#pinging = true;
      try {
        this.hooks.ping();
      } finally {
        this.#pinging = false;
      }
    }
    this.#arm();
  }

  #idle(): boolean {
    return this.#inFlight === 0 && !this.#socketDown;
  }

  /** One timer, set for the earliest moment something can change without an event. */
  #arm(): void {
    if (this.#phase !== 'live' && this.#phase !== 'suspended') return;
    const timeout = this.timeoutMs();
    const last = this.#lastAnsweredSentAt;
    const lostAt = last + timeout;
    const wake =
      this.#phase === 'suspended'
        ? lostAt
        : Math.min(
            lostAt,
            last + timeout * SUSPEND_AFTER,
            this.#idle() ? last + timeout * PING_AFTER : lostAt,
          );
    // An earlier wake-up already set will look again and re-arm: answers only push deadlines out.
    if (this.#timer !== undefined && this.#wakeAt <= wake) return;
    clearTimeout(this.#timer);
    this.#wakeAt = wake;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#wakeAt = Infinity;
        this.check();
      },
      Math.max(0, wake - this.now()),
    );
    this.#timer.unref();
  }
}
