#!/usr/bin/python3
"""Run one zk-lock benchmark workload (W1..W4h) with kazoo, the Python ZooKeeper client.

    /usr/bin/python3 bench_one.py <connectString> <W1|W2|W3|W4|W4h> [--smoke] [--prefix <path>]

The workloads, their counts, their timing points, the packet count from `mntr`, the nearest-rank
percentiles and the rounding are those of packages/bench (docs/benchmarks.md, "Method" and
"Workloads"); each function below names the TypeScript file it mirrors. Like `bench:one`, the
output is an interface: exactly one JSON line on stdout, `{"lib":"kazoo-<version>","workload":...}`
plus the workload's fields; progress and errors go to stderr, and a failure exits non-zero with
nothing on stdout.

Where kazoo makes a user do things differently (its acquire() blocks, so concurrency is threads),
this does it the way a kazoo user naturally would, and says so in a comment. The only added
field is W3's `workers` (the thread pool size).
"""
import argparse
import json
import logging
import math
import os
import socket
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from kazoo.client import KazooClient
from kazoo.version import __version__ as KAZOO_VERSION

LIB = "kazoo-" + KAZOO_VERSION

# run.ts: every workload runs with a 10 s session timeout; the smoke run with 4 s.
SESSION_TIMEOUT_S = 10.0
SMOKE_SESSION_TIMEOUT_S = 4.0
# run.ts: a workload that takes longer fails the run instead of hanging it.
DEADLINE_S = 180.0
# bench-one.ts: how long the process may stay up after its result.
EXIT_GRACE_S = 5.0
# W3: threads that call the blocking acquire()/release() (reported as `workers`).
W3_WORKERS = 64

# The TS workloads' parameters, full and smoke (uncontended.ts, contended.ts, many-keys.ts,
# semaphore.ts).
PARAMS = {
    "W1": {"full": {"cycles": 2000, "dropped": 100}, "smoke": {"cycles": 30, "dropped": 5}},
    "W2": {"full": {"clients": 16, "cycles": 100, "hold_ms": 0},
           "smoke": {"clients": 4, "cycles": 10, "hold_ms": 0}},
    "W3": {"full": {"keys": 5000}, "smoke": {"keys": 50}},
    "W4": {"full": {"clients": 16, "cycles": 50, "hold_ms": 0},
           "smoke": {"clients": 4, "cycles": 10, "hold_ms": 0}},
    "W4h": {"full": {"clients": 16, "cycles": 50, "hold_ms": 5},
            "smoke": {"clients": 4, "cycles": 10, "hold_ms": 5}},
}
SLOTS = 3  # semaphore.ts: W4/W4h's semaphore has 3 slots


def progress(message):
    sys.stderr.write(message + "\n")
    sys.stderr.flush()


def now_ms():
    """A monotonic clock in milliseconds, like performance.now()."""
    return time.perf_counter() * 1000.0


# --- stats.ts ------------------------------------------------------------------------------------

def nearest_rank(samples, p):
    """Nearest-rank percentile: the sample at rank ceil(p/100 * n) of the sorted samples."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100.0 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def js_round(value, decimals=2):
    """stats.ts `round`: JavaScript's Math.round (halves up, not Python's round-half-even)."""
    if value is None or not math.isfinite(value):
        return None
    scale = 10 ** decimals
    return math.floor(value * scale + 0.5) / scale


def ratio(numerator, denominator, decimals=2):
    return None if denominator == 0 else js_round(numerator / denominator, decimals)


def json_number(value):
    """JSON.stringify writes 3, not 3.0: integral floats become ints so the lines read the same."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# --- connect-string.ts, four-letter.ts, mntr.ts, packet-meter.ts --------------------------------

def parse_connect_string(connect_string):
    """The servers of `host:port[,host:port...][/chroot]`."""
    hosts = connect_string.split("/")[0]
    if hosts.strip() == "":
        raise ValueError('connectString is empty: "%s"' % connect_string)
    servers = []
    for part in hosts.split(","):
        host, sep, port = part.strip().rpartition(":")
        if not sep or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise ValueError('connectString: "%s" is not host:port (in "%s")' % (part, connect_string))
        servers.append((host, int(port)))
    return servers


def four_letter_word(server, word, timeout_s=5.0):
    """Send a four-letter word on a plain TCP connection; the server ends its answer by closing."""
    with socket.create_connection(server, timeout=timeout_s) as sock:
        sock.sendall(word.encode("ascii"))
        sock.shutdown(socket.SHUT_WR)  # like socket.end(word) in four-letter.ts
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks).decode("utf-8")


def mntr_counters(text):
    """zk_packets_received and zk_num_alive_connections from an `mntr` answer (key<TAB>value lines)."""
    fields = {}
    for line in text.split("\n"):
        line = line.strip()
        if line:
            parts = line.split(None, 1)  # key, whitespace, value
            fields[parts[0]] = parts[1].strip() if len(parts) > 1 else ""
    counters = []
    for name in ("zk_packets_received", "zk_num_alive_connections"):
        try:
            counters.append(int(fields[name]))
        except (KeyError, ValueError):
            raise RuntimeError("mntr answer has no %s counter (is 4lw.commands.whitelist set?)" % name)
    return counters[0], counters[1]


class PacketMeter(object):
    """packet-meter.ts: the packets the servers received during a measured phase, from `mntr` read
    just before and just after it. Every `mntr` request is a packet the server counts too, so those
    sent from the first read up to (not including) the last are subtracted."""

    def __init__(self, servers):
        self.servers = servers
        self.mntr_requests = 0

    def read(self):
        """(packets received, alive connections), summed over the servers."""
        self.mntr_requests += len(self.servers)
        packets = connections = 0
        for server in self.servers:
            p, c = mntr_counters(four_letter_word(server, "mntr"))
            packets += p
            connections += c
        return packets, connections

    def measure(self, phase):
        """Run `phase()`; return (its result, packets the servers received from clients meanwhile)."""
        before, _ = self.read()
        requests_before = self.mntr_requests
        result = phase()
        requests_during = self.mntr_requests - requests_before
        after, _ = self.read()
        return result, after - before - (len(self.servers) + requests_during)

    def quiesce(self, limit_s=5.0):
        """Wait (bounded) until no client is connected but our own `mntr` request, so that sessions
        a previous run is still closing send no packet into this run's measured phase."""
        until = time.monotonic() + limit_s
        while self.read()[1] > len(self.servers) and time.monotonic() < until:
            time.sleep(0.05)


# --- holder-gauge.ts, rss-sampler.ts -------------------------------------------------------------

class HolderGauge(object):
    """The in-process count of holders: +1 when a client's acquire returns, -1 before it releases.
    A count above `limit` is a violation. It also integrates the count over time for the
    time-weighted mean. Threads call it concurrently, so a mutex guards it."""

    def __init__(self, limit):
        self.limit = limit
        self.holders = 0
        self.peak = 0
        self.violations = 0
        self.area = 0.0
        self.started_at = now_ms()
        self.last_change = self.started_at
        self._mutex = threading.Lock()

    def _step(self, delta):
        at = now_ms()
        self.area += self.holders * (at - self.last_change)
        self.last_change = at
        self.holders += delta

    def acquired(self):
        with self._mutex:
            self._step(+1)
            self.peak = max(self.peak, self.holders)
            if self.holders > self.limit:
                self.violations += 1

    def released(self):
        with self._mutex:
            self._step(-1)

    def average_holders(self):
        with self._mutex:
            at = now_ms()
            elapsed = at - self.started_at
            if elapsed <= 0:
                return float(self.holders)
            return (self.area + self.holders * (at - self.last_change)) / elapsed


def rss_bytes():
    """This process's resident set size (VmRSS), as process.memoryUsage.rss() gives it in Node."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


class RssSampler(object):
    """rss-sampler.ts: samples RSS every 5 ms on a thread and keeps the peak, because the peak of
    a burst is gone by the time the burst ends."""

    def __init__(self, interval_s=0.005):
        self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(interval_s,), daemon=True)
        self._thread.start()

    def _run(self, interval_s):
        while not self._stop.wait(interval_s):
            self._sample()

    def _sample(self):
        self.peak = max(self.peak, rss_bytes())

    def stop(self):
        """Stop sampling; return the peak RSS seen, in bytes."""
        self._stop.set()
        self._thread.join()
        self._sample()
        return self.peak


def megabytes(n):
    return n / (1024.0 * 1024.0)


# --- the workloads -------------------------------------------------------------------------------

class Env(object):
    def __init__(self, connect_string, session_timeout_s, prefix, meter):
        self.connect_string = connect_string
        self.session_timeout_s = session_timeout_s
        self.prefix = prefix
        self.meter = meter

    def new_client(self):
        """A started KazooClient: its own session with the bench's session timeout."""
        client = KazooClient(hosts=self.connect_string, timeout=self.session_timeout_s)
        client.start()
        return client


def close_client(client):
    client.stop()  # closes the session: its ephemeral lock nodes go
    client.close()


def uncontended(env, cycles, dropped):
    """W1 (uncontended.ts): one session, one key, sequential acquire->release cycles on the same
    Lock object, the first `dropped` not measured."""
    client = env.new_client()
    lock = client.Lock(env.prefix + "/w1")

    def cycle():
        start = now_ms()
        if not lock.acquire():
            raise RuntimeError("W1: acquire() returned False")
        # The TS bench checks a fencing token on every acquisition. kazoo has no such API; the
        # nearest is the sequence number in the name of the lock's node, which acquire() sets.
        if lock.node is None:
            raise RuntimeError("W1: no lock node after acquire()")
        acquired = now_ms()
        lock.release()
        return acquired - start, now_ms() - acquired

    for _ in range(dropped):
        cycle()
    measured = cycles - dropped

    def phase():
        start = now_ms()
        samples = [cycle() for _ in range(measured)]
        return samples, now_ms() - start

    (samples, elapsed_ms), packets = env.meter.measure(phase)
    close_client(client)
    acquire = [a for a, _ in samples]
    release = [r for _, r in samples]
    return {
        "cycles": measured,
        "cycles_per_s": js_round(measured * 1000.0 / elapsed_ms, 0),
        "acquire_p50_ms": js_round(nearest_rank(acquire, 50), 3),
        "acquire_p99_ms": js_round(nearest_rank(acquire, 99), 3),
        "release_p50_ms": js_round(nearest_rank(release, 50), 3),
        "release_p99_ms": js_round(nearest_rank(release, 99), 3),
        "packets_per_cycle": ratio(packets, measured, 3),
    }


def hold(hold_ms):
    """contend.ts's hold. With no hold time the TS holder yields one event-loop turn so that an
    acquisition resolving meanwhile sees the raised gauge; the thread equivalent is sleep(0),
    which lets go of the GIL so another thread whose acquire() just returned can run."""
    time.sleep(hold_ms / 1000.0 if hold_ms > 0 else 0)


def contend(env, key, max_holders, clients, cycles, hold_ms):
    """contend.ts: `clients` lock objects on one key, each on its own KazooClient (its own session,
    like `connectionPerLock`), each running `cycles` acquire->hold->release cycles, all started
    together after one unmeasured cycle each (so connecting is not measured). A mutex (limit 1) is
    kazoo's Lock, otherwise its Semaphore with max_leases=max_holders. kazoo's acquire() blocks,
    so each client runs on a thread of its own; a barrier starts them together."""
    path = env.prefix + "/" + key
    sessions = [env.new_client() for _ in range(clients)]
    if max_holders == 1:
        locks = [client.Lock(path) for client in sessions]
    else:
        locks = [client.Semaphore(path, max_leases=max_holders) for client in sessions]
    for lock in locks:
        if not lock.acquire():
            raise RuntimeError("%s: warm-up acquire() returned False" % key)
        lock.release()

    waits = []  # list.append is atomic under the GIL
    errors = []
    state = {}

    def on_start():
        # Run by the barrier once every party has arrived: the measured phase starts here.
        state["gauge"] = HolderGauge(max_holders)
        state["start"] = now_ms()

    barrier = threading.Barrier(clients + 1, action=on_start)

    def run_client(lock):
        try:
            barrier.wait()
            gauge = state["gauge"]
            for _ in range(cycles):
                asked = now_ms()
                if not lock.acquire():
                    raise RuntimeError("%s: acquire() returned False" % key)
                gauge.acquired()
                waits.append(now_ms() - asked)
                hold(hold_ms)
                gauge.released()
                lock.release()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run_client, args=(lock,), daemon=True) for lock in locks]
    for thread in threads:
        thread.start()

    def phase():
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            pass  # a client failed before the start; its error is raised below
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        elapsed_ms = now_ms() - state["start"]
        return elapsed_ms, state["gauge"].average_holders()

    (elapsed_ms, avg_holders), packets = env.meter.measure(phase)
    for client in sessions:
        close_client(client)
    acquisitions = clients * cycles
    gauge = state["gauge"]
    return {
        "acquisitions": acquisitions,
        "per_s": js_round(acquisitions * 1000.0 / elapsed_ms, 0),
        "wait_p50_ms": js_round(nearest_rank(waits, 50), 3),
        "wait_p99_ms": js_round(nearest_rank(waits, 99), 3),
        "max_holders": gauge.peak,
        "violations": gauge.violations,
        "avg_holders": avg_holders,
        "packets_per_acquisition": ratio(packets, acquisitions, 3),
    }


def contended(env, clients, cycles, hold_ms):
    """W2 (contended.ts): a mutex, 16 clients on their own sessions, 100 cycles each, no hold."""
    c = contend(env, "w2", 1, clients, cycles, hold_ms)
    return {
        "clients": clients,
        "acquisitions": c["acquisitions"],
        "acquisitions_per_s": c["per_s"],
        "wait_p50_ms": c["wait_p50_ms"],
        "wait_p99_ms": c["wait_p99_ms"],
        "max_holders": c["max_holders"],
        "violations": c["violations"],
        "packets_per_acquisition": c["packets_per_acquisition"],
    }


def lease_fields(clients, c):
    return {
        "clients": clients,
        "leases": c["acquisitions"],
        "leases_per_s": c["per_s"],
        "wait_p50_ms": c["wait_p50_ms"],
        "wait_p99_ms": c["wait_p99_ms"],
        "max_holders": c["max_holders"],
        "violations": c["violations"],
    }


def semaphore(env, clients, cycles, hold_ms):
    """W4 (semaphore.ts): a semaphore of 3 slots, 16 clients on their own sessions, 50 cycles each."""
    return lease_fields(clients, contend(env, "w4", SLOTS, clients, cycles, hold_ms))


def semaphore_with_hold(env, clients, cycles, hold_ms):
    """W4h (semaphore.ts): W4 with a 5 ms hold, and the time-weighted mean of holders."""
    c = contend(env, "w4h", SLOTS, clients, cycles, hold_ms)
    fields = lease_fields(clients, c)
    fields["avg_holders"] = js_round(c["avg_holders"], 2)
    return fields


def many_keys(env, keys):
    """W3 (many-keys.ts): one process holds `keys` distinct, never used keys at once on one
    session, then releases them all. kazoo's acquire() blocks, so a kazoo user gets concurrency
    from a thread pool: W3_WORKERS threads run the acquire() calls (a thread returns to the pool
    once its lock is held; the Lock object keeps the lock), then the release() calls."""
    # The prefix is a namespace a user creates once; the keys under it are new. As in the TS
    # workload, a warm-up lock creates it on a session that is then closed, and the bench waits
    # until the server has seen it go, so the measured phase starts with no client connected.
    warm_up = env.new_client()
    lock = warm_up.Lock(env.prefix + "/warm-up")
    lock.acquire()
    lock.release()
    close_client(warm_up)
    env.meter.quiesce()
    _, connections_before = env.meter.read()
    rss_before = rss_bytes()
    sampler = RssSampler()
    pool = ThreadPoolExecutor(max_workers=W3_WORKERS)
    state = {}

    def phase():
        # The TS workload's session connects inside the measured phase (its first lock() opens
        # it), so this one does too.
        start = now_ms()
        client = env.new_client()
        state["client"] = client
        locks = [client.Lock("%s/k%05d" % (env.prefix, i)) for i in range(keys)]
        if not all(pool.map(lambda lock: lock.acquire(), locks)):
            raise RuntimeError("W3: an acquire() returned False")
        acquired = now_ms()
        _, connections_held = env.meter.read()
        release_start = now_ms()
        list(pool.map(lambda lock: lock.release(), locks))
        return {
            "acquire_ms": acquired - start,
            "release_ms": now_ms() - release_start,
            "sessions": connections_held - connections_before,
        }

    result, packets = env.meter.measure(phase)
    peak = sampler.stop()
    pool.shutdown()
    close_client(state["client"])
    return {
        "keys": keys,
        "acquire_all_s": js_round(result["acquire_ms"] / 1000.0, 3),
        "release_all_s": js_round(result["release_ms"] / 1000.0, 3),
        "rss_before_mb": js_round(megabytes(rss_before), 1),
        "peak_rss_mb": js_round(megabytes(peak), 1),
        "packets_per_key": ratio(packets, keys, 3),
        "sessions": result["sessions"],
        "workers": W3_WORKERS,
    }


WORKLOADS = {
    "W1": uncontended,
    "W2": contended,
    "W3": many_keys,
    "W4": semaphore,
    "W4h": semaphore_with_hold,
}


# --- bench-one.ts --------------------------------------------------------------------------------

def parse_args():
    parser = argparse.ArgumentParser(
        prog="bench_one.py",
        description="Run one zk-lock benchmark workload with kazoo; one JSON line on stdout.")
    parser.add_argument("connect_string", help="host:port[,host:port...][/chroot]")
    parser.add_argument("workload", choices=sorted(WORKLOADS))
    parser.add_argument("--smoke", action="store_true",
                        help="small counts and a 4 s session timeout (the test suite's run)")
    parser.add_argument("--prefix",
                        help="znode path the locks live under "
                             "(default /locks/bench-kazoo/<pid>-<time>/<workload>)")
    args = parser.parse_args()  # exits 2 with the usage on stderr when wrong
    if args.prefix is not None and (not args.prefix.startswith("/") or args.prefix.endswith("/")):
        parser.error("--prefix must start with / and not end with /")
    return args


def main():
    # kazoo logs through `logging`; keep every record on stderr (and quiet below WARNING).
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    args = parse_args()

    def deadline():
        progress("bench_one.py: workload %s took longer than %d s" % (args.workload, DEADLINE_S))
        os._exit(1)  # nothing was printed on stdout

    watchdog = threading.Timer(DEADLINE_S, deadline)
    watchdog.daemon = True
    watchdog.start()

    size = "smoke" if args.smoke else "full"
    prefix = args.prefix or "/locks/bench-kazoo/%d-%d/%s" % (os.getpid(), int(time.time() * 1000),
                                                             args.workload)
    meter = PacketMeter(parse_connect_string(args.connect_string))
    env = Env(args.connect_string,
              SMOKE_SESSION_TIMEOUT_S if args.smoke else SESSION_TIMEOUT_S, prefix, meter)
    progress("bench_one.py: %s %s (%s) under %s" % (LIB, args.workload, size, prefix))
    meter.quiesce()  # run.ts: no previous run's closing sessions in this run's counts
    fields = WORKLOADS[args.workload](env, **PARAMS[args.workload][size])
    watchdog.cancel()

    line = {"lib": LIB, "workload": args.workload}
    line.update((name, json_number(value)) for name, value in fields.items())
    sys.stdout.write(json.dumps(line, separators=(",", ":")) + "\n")
    sys.stdout.flush()

    # Every client was stopped, so the process should end by itself; if something was left
    # running, say so rather than hang the tool that drives this command.
    def linger():
        progress("bench_one.py: still running %d s after the result: threads left open" % EXIT_GRACE_S)
        os._exit(0)

    grace = threading.Timer(EXIT_GRACE_S, linger)
    grace.daemon = True
    grace.start()


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a failure: message on stderr, nothing on stdout, non-zero exit
        import traceback
        progress("bench_one.py failed: %s" % error)
        traceback.print_exc(file=sys.stderr)
        sys.stdout.flush()
        os._exit(1)
