/**
 * The session's own "last heard from the server" clock. node-zookeeper-client raises nothing while
 * a server is paused or a partition is silent, so a lock holder would never learn that its session
 * expired. The clock tracks the latest moment at which the server that expires sessions (the
 * standalone server, or an ensemble's leader) surely knew the session was alive, and raises
 * `lost` one session timeout after it: never later than the server can expire the session.
 *
 * That moment is *confirmed evidence*, of two kinds:
 * - the send time of a connect request the server accepted (creating or revalidating a session
 *   goes through the leader);
 * - the send time of an answered request, once a request sent at least a quarter of the timeout
 *   after that answer arrived was answered too. A follower answers reads by itself and tells the
 *   leader about them only with its next reply to the leader's pings (every tickTime / 2, at most a
 *   quarter of the timeout, as ZooKeeper's timeouts are at least two ticks); a follower that dies
 *   in between never does, and the leader's deadline then runs from an earlier request. The later
 *   answer shows that the follower lived through a ping after it received the earlier request.
 *   Evidence not confirmed when the socket drops is discarded: the next answers may come from
 *   another server.
 *
 * - idle for 1/8 of the timeout since the last answered request: ping (never while a request is in
 *   flight: its answer serves as well, so busy sessions cost no extra packets);
 * - 2/3 of the timeout after the confirmed evidence, or the socket dropped: `suspended`;
 * - socket up and evidence again younger than 2/3 of the timeout: `reconnected`;
 * - the whole timeout after the confirmed evidence: `lost`, terminal.
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

const PING_AFTER = 1 / 8;
const CONFIRM_AFTER = 1 / 4;
const SUSPEND_AFTER = 2 / 3;
/** Unconfirmed evidence is kept at this fraction of the confirmation delay apart (a handful of entries). */
const EVIDENCE_GRAIN = 1 / 8;

export class LivenessClock {
  #confirmedAt: number;
  #lastAnsweredSentAt: number;
  /** Answered requests not yet confirmed, oldest first. */
  #unconfirmed: Array<{ readonly sentAt: number; readonly answeredAt: number }> = [];
  #inFlight = 0;
  #socketDown = false;
  #phase: LivenessPhase = 'live';
  #timer: NodeJS.Timeout | undefined;
  #wakeAt = Infinity;
  /** A ping that fails synchronously (a dead client) must not ask for the next one from within. */
  #pinging = false;

  /**
   * @param timeoutMs the negotiated session timeout (read on every check: a reconnect may renegotiate it)
   * @param confirmedAt confirmed evidence the session starts with (its connect request's send time)
   */
  constructor(
    private readonly timeoutMs: () => number,
    confirmedAt: number,
    private readonly hooks: LivenessHooks,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#confirmedAt = confirmedAt;
    this.#lastAnsweredSentAt = confirmedAt;
  }

  get phase(): LivenessPhase {
    return this.#phase;
  }

  /** Send time of the last request a server answered (`performance.now()` time base). */
  get lastAnsweredSentAt(): number {
    return this.#lastAnsweredSentAt;
  }

  /** The confirmed evidence: `lost` comes one session timeout after it. */
  get confirmedAt(): number {
    return this.#confirmedAt;
  }

  /** A request leaves now; hand the returned send time back to `settled`. */
  sent(): number {
    this.#inFlight += 1;
    return this.now();
  }

  settled(sentAt: number, reply: ReplyKind): void {
    this.#inFlight -= 1;
    if (reply === 'answered') this.#answered(sentAt);
    // The client fails in-flight requests with CONNECTION_LOSS just before it reports `disconnected`.
    if (reply === 'connection-loss') this.#dropped();
    this.check();
  }

  disconnected(): void {
    this.#dropped();
    this.check();
  }

  /** The socket is up again; `handshakeSentAt`: when the accepted connect request left, if known. */
  connected(handshakeSentAt?: number): void {
    this.#socketDown = false;
    if (handshakeSentAt !== undefined && handshakeSentAt > this.#confirmedAt)
      this.#confirmedAt = handshakeSentAt;
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
    const lostAt = this.#confirmedAt + timeout;
    if (now >= lostAt) {
      this.stop();
      this.#phase = 'lost';
      this.hooks.lost();
      return;
    }
    const suspendAt = this.#confirmedAt + timeout * SUSPEND_AFTER;
    if (this.#phase === 'live' && (this.#socketDown || now >= suspendAt)) {
      this.#phase = 'suspended';
      this.hooks.suspended(lostAt - now);
    } else if (this.#phase === 'suspended' && !this.#socketDown && now < suspendAt) {
      this.#phase = 'live';
      this.hooks.reconnected();
    }
    if (this.#idle() && now >= this.#lastAnsweredSentAt + timeout * PING_AFTER && !this.#pinging) {
      this.#pinging = true;
      try {
        this.hooks.ping();
      } finally {
        this.#pinging = false;
      }
    }
    this.#arm();
  }

  #answered(sentAt: number): void {
    if (sentAt > this.#lastAnsweredSentAt) this.#lastAnsweredSentAt = sentAt;
    const confirmDelay = this.timeoutMs() * CONFIRM_AFTER;
    for (let oldest = this.#unconfirmed[0]; oldest !== undefined; oldest = this.#unconfirmed[0]) {
      if (oldest.answeredAt > sentAt - confirmDelay) break;
      this.#unconfirmed.shift();
      if (oldest.sentAt > this.#confirmedAt) this.#confirmedAt = oldest.sentAt;
    }
    const newest = this.#unconfirmed[this.#unconfirmed.length - 1];
    if (newest === undefined || sentAt - newest.sentAt >= confirmDelay * EVIDENCE_GRAIN)
      this.#unconfirmed.push({ sentAt, answeredAt: this.now() });
  }

  #dropped(): void {
    this.#socketDown = true;
    this.#unconfirmed = [];
  }

  #idle(): boolean {
    return this.#inFlight === 0 && !this.#socketDown;
  }

  /** One timer, set for the earliest moment something can change without an event. */
  #arm(): void {
    if (this.#phase !== 'live' && this.#phase !== 'suspended') return;
    const timeout = this.timeoutMs();
    const lostAt = this.#confirmedAt + timeout;
    const suspendAt = this.#phase === 'live' ? this.#confirmedAt + timeout * SUSPEND_AFTER : lostAt;
    const pingAt = this.#idle() ? this.#lastAnsweredSentAt + timeout * PING_AFTER : lostAt;
    const wake = Math.min(lostAt, suspendAt, pingAt);
    // An earlier wake-up already set will look again and re-arm: evidence only pushes deadlines out.
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
