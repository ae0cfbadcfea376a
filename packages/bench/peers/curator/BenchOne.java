/*
 * Run one zk-lock benchmark workload (W1..W4h) with Apache Curator's lock recipes.
 *
 *     ./bench-one.sh <connectString> <W1|W2|W3|W4|W4h> [--smoke] [--prefix <znode path>]
 *
 * (bench-one.sh builds the classpath from /usr/share/java and runs this file with Java's
 * source launcher: no build step.)
 *
 * The workloads, their counts, their timing points, the packet count from `mntr`, the
 * nearest-rank percentiles and the rounding are those of packages/bench (docs/benchmarks.md,
 * "Method" and "Workloads"); each method below names the TypeScript file it mirrors. Like
 * `bench:one`, the output is an interface: exactly one JSON line on stdout,
 * {"lib":"curator-<version>","workload":...} plus the workload's fields; progress and errors go
 * to stderr, and a failure exits non-zero with nothing on stdout.
 *
 * Where Curator makes a user do things differently (acquire() blocks and an InterProcessMutex
 * belongs to the thread that acquired it, so concurrency is threads), this does it the way a
 * Curator user naturally would, and says so in a comment. The only added field is W3's
 * `workers` (the size of its thread pool).
 */

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessSemaphoreV2;
import org.apache.curator.framework.recipes.locks.Lease;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.PathUtils;

public class BenchOne {

    // run.ts: every workload runs with a 10 s session timeout; the smoke run with 4 s.
    static final int SESSION_TIMEOUT_MS = 10_000;
    static final int SMOKE_SESSION_TIMEOUT_MS = 4_000;
    // run.ts: a workload that takes longer fails the run instead of hanging it.
    static final long DEADLINE_MS = 180_000;
    // bench-one.ts: how long the process may stay up after its result.
    static final long EXIT_GRACE_MS = 5_000;
    // W3: threads that call the blocking acquire()/release() (reported as `workers`).
    static final int W3_WORKERS = 64;
    // semaphore.ts: W4/W4h's semaphore has 3 slots.
    static final int SLOTS = 3;
    // How long a new client may take to connect before the run fails (not part of any figure
    // except W3's acquire_all_s, whose session connects inside the measured phase as in the TS).
    static final int CONNECT_LIMIT_S = 30;

    static final String LIB = "curator-" + curatorVersion();

    /** Everything but the one result line goes to stderr: stdout is swapped for it in main(). */
    static PrintStream resultOut;

    static void progress(String message) {
        System.err.println(message);
        System.err.flush();
    }

    /** A monotonic clock in milliseconds, like performance.now(). */
    static double nowMs() {
        return System.nanoTime() / 1e6;
    }

    /**
     * The version of the curator-recipes jar on the classpath: from its manifest if it says, else
     * from the pom.properties Maven put in it, else Debian's package version.
     */
    static String curatorVersion() {
        String version = InterProcessMutex.class.getPackage().getImplementationVersion();
        if (version != null) return version;
        try (InputStream in = InterProcessMutex.class.getResourceAsStream(
                "/META-INF/maven/org.apache.curator/curator-recipes/pom.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                version = properties.getProperty("version");
                if (version != null && !version.isBlank()) return version.trim();
            }
        } catch (Exception ignored) {
            // fall through to the packaged version
        }
        return "5.4.0";
    }

    // --- stats.ts ---------------------------------------------------------------------------

    /** Nearest-rank percentile: the sample at rank ceil(p/100 * n) of the sorted samples; null if none. */
    static Double nearestRank(double[] samples, int p) {
        if (samples.length == 0) return null;
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        // Same double arithmetic as the TS: (p / 100) * n.
        int rank = (int) Math.max(1, Math.ceil((p / 100.0) * sorted.length));
        return sorted[Math.min(rank, sorted.length) - 1];
    }

    /** stats.ts `round`: JavaScript's Math.round (halves toward +infinity); null for no sample. */
    static Double round(Double value, int decimals) {
        if (value == null || !Double.isFinite(value)) return null;
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    /** stats.ts `ratio`: numerator / denominator rounded, or null when there is nothing to divide by. */
    static Double ratio(double numerator, double denominator, int decimals) {
        return denominator == 0 ? null : round(numerator / denominator, decimals);
    }

    /** A JSON number as JSON.stringify writes it: 3, not 3.0; never an exponent for our values. */
    static String jsonNumber(Number value) {
        if (value == null) return "null";
        if (value instanceof Integer || value instanceof Long) return value.toString();
        double d = value.doubleValue();
        if (!Double.isFinite(d)) return "null";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        return BigDecimal.valueOf(d).toPlainString();
    }

    static String jsonLine(String workload, Map<String, Number> fields) {
        StringBuilder line = new StringBuilder();
        line.append("{\"lib\":\"").append(LIB).append("\",\"workload\":\"").append(workload).append('"');
        for (Map.Entry<String, Number> field : fields.entrySet()) {
            line.append(",\"").append(field.getKey()).append("\":").append(jsonNumber(field.getValue()));
        }
        return line.append('}').toString();
    }

    // --- connect-string.ts, four-letter.ts, mntr.ts, packet-meter.ts -------------------------

    record Server(String host, int port) {}

    /** The servers of `host:port[,host:port...][/chroot]`. */
    static List<Server> parseConnectString(String connectString) {
        String hosts = connectString.split("/", -1)[0];
        if (hosts.isBlank()) throw new IllegalArgumentException("connectString is empty: \"" + connectString + "\"");
        Pattern hostPort = Pattern.compile("^\\s*([^:\\s]+):(\\d{1,5})\\s*$");
        List<Server> servers = new ArrayList<>();
        for (String part : hosts.split(",", -1)) {
            Matcher match = hostPort.matcher(part);
            int port = match.matches() ? Integer.parseInt(match.group(2)) : -1;
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(
                        "connectString: \"" + part + "\" is not host:port (in \"" + connectString + "\")");
            }
            servers.add(new Server(match.group(1), port));
        }
        return servers;
    }

    /** Send a four-letter word on a plain TCP connection; the server ends its answer by closing. */
    static String fourLetterWord(Server server, String word) throws Exception {
        int timeoutMs = 5_000;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.host(), server.port()), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            OutputStream out = socket.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            socket.shutdownOutput(); // like socket.end(word) in four-letter.ts
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    record Counters(long packetsReceived, long aliveConnections) {}

    /** zk_packets_received and zk_num_alive_connections from an `mntr` answer (key<TAB>value lines). */
    static Counters mntrCounters(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (line.isEmpty()) continue;
            String[] parts = line.split("\\s", 2);
            fields.put(parts[0], parts.length > 1 ? parts[1].trim() : "");
        }
        return new Counters(counter(fields, "zk_packets_received"), counter(fields, "zk_num_alive_connections"));
    }

    static long counter(Map<String, String> fields, String name) {
        try {
            return Long.parseLong(fields.get(name));
        } catch (RuntimeException e) {
            throw new IllegalStateException("mntr answer has no " + name + " counter (is 4lw.commands.whitelist set?)");
        }
    }

    /**
     * packet-meter.ts: the packets the servers received during a measured phase, from `mntr`
     * read just before and just after it. Every `mntr` request is a packet the server counts too,
     * so those sent from the first read up to (not including) the last are subtracted.
     */
    static final class PacketMeter {
        private final List<Server> servers;
        private int mntrRequests = 0;

        PacketMeter(List<Server> servers) {
            this.servers = servers;
        }

        /** Read the counters now, summed over the servers. Called by one thread at a time. */
        synchronized Counters read() throws Exception {
            mntrRequests += servers.size();
            long packets = 0, connections = 0;
            for (Server server : servers) {
                Counters c = mntrCounters(fourLetterWord(server, "mntr"));
                packets += c.packetsReceived();
                connections += c.aliveConnections();
            }
            return new Counters(packets, connections);
        }

        interface Phase<A> {
            A run() throws Exception;
        }

        record Measured<A>(A result, long packets) {}

        /** Run `phase` and return its result with the packets the servers received from clients meanwhile. */
        <A> Measured<A> measure(Phase<A> phase) throws Exception {
            Counters before = read();
            int requestsBefore = mntrRequests;
            A result = phase.run();
            int requestsDuring = mntrRequests - requestsBefore;
            Counters after = read();
            return new Measured<>(result,
                    after.packetsReceived() - before.packetsReceived() - (servers.size() + requestsDuring));
        }

        /**
         * Wait (bounded) until no client is connected but our own `mntr` request, so that sessions
         * a previous run is still closing send no packet into this run's measured phase.
         */
        void quiesce() throws Exception {
            double until = nowMs() + 5_000;
            while (read().aliveConnections() > servers.size() && nowMs() < until) {
                Thread.sleep(50);
            }
        }
    }

    // --- holder-gauge.ts, rss-sampler.ts -----------------------------------------------------

    /**
     * The in-process count of holders: +1 when a client's acquire returns, -1 before it releases.
     * A count above `limit` is a violation. It also integrates the count over time for the
     * time-weighted mean. Threads call it concurrently, so its methods are synchronized.
     */
    static final class HolderGauge {
        private final int limit;
        private int holders = 0;
        private int peak = 0;
        private int violations = 0;
        private double area = 0;
        private final double startedAt;
        private double lastChange;

        HolderGauge(int limit) {
            this.limit = limit;
            this.startedAt = nowMs();
            this.lastChange = startedAt;
        }

        synchronized void acquired() {
            step(+1);
            if (holders > peak) peak = holders;
            if (holders > limit) violations++;
        }

        synchronized void released() {
            step(-1);
        }

        synchronized int maxHolders() {
            return peak;
        }

        synchronized int violations() {
            return violations;
        }

        /** Mean number of holders between construction and now, weighted by how long each count lasted. */
        synchronized double averageHolders() {
            double at = nowMs();
            double elapsed = at - startedAt;
            if (elapsed <= 0) return holders;
            return (area + holders * (at - lastChange)) / elapsed;
        }

        private void step(int delta) {
            double at = nowMs();
            area += holders * (at - lastChange);
            lastChange = at;
            holders += delta;
        }
    }

    /** This process's resident set size (VmRSS), as process.memoryUsage.rss() gives it in Node. */
    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot read VmRSS from /proc/self/status", e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /**
     * rss-sampler.ts: samples RSS every 5 ms on a thread and keeps the peak, because the peak of
     * a burst is gone by the time the burst ends.
     */
    static final class RssSampler {
        private volatile long peak = rssBytes();
        private volatile boolean stopped = false;
        private final Thread thread;

        RssSampler() {
            thread = new Thread(() -> {
                while (!stopped) {
                    sample();
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        private synchronized void sample() {
            long rss = rssBytes();
            if (rss > peak) peak = rss;
        }

        /** Stop sampling; returns the peak RSS seen, in bytes. */
        long stop() throws InterruptedException {
            stopped = true;
            thread.join();
            sample();
            return peak;
        }
    }

    static double megabytes(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    // --- the workloads ----------------------------------------------------------------------

    record Env(String connectString, int sessionTimeoutMs, String prefix, PacketMeter meter) {

        /**
         * A started, connected CuratorFramework: its own session, with the bench's session
         * timeout, the retry policy a Curator user would pick, and the default connection
         * timeout and everything else (ensemble tracker on, as by default).
         */
        CuratorFramework newClient() throws Exception {
            CuratorFramework client = CuratorFrameworkFactory.builder()
                    .connectString(connectString)
                    .sessionTimeoutMs(sessionTimeoutMs)
                    .retryPolicy(new ExponentialBackoffRetry(100, 3))
                    .build();
            client.start();
            if (!client.blockUntilConnected(CONNECT_LIMIT_S, TimeUnit.SECONDS)) {
                client.close();
                throw new IllegalStateException("no connection to " + connectString + " in " + CONNECT_LIMIT_S + " s");
            }
            return client;
        }
    }

    /**
     * An InterProcessMutex that tells its fencing token. Curator has no fencing-token API; the
     * nearest is the sequence number in the name of the lock node (…-lock-0000000042), which
     * InterProcessMutex keeps for the holding thread and hands out through the protected
     * getLockPath(). Reading it costs no request.
     */
    static final class FencedMutex extends InterProcessMutex {
        FencedMutex(CuratorFramework client, String path) {
            super(client, path);
        }

        /** The holding thread's lock node sequence number, or -1 if this thread holds nothing. */
        long fencingToken() {
            String path = getLockPath();
            return path == null ? -1 : Long.parseLong(path.substring(path.length() - 10));
        }
    }

    /**
     * W1 (uncontended.ts): one session, one key, sequential acquire→release cycles on the same
     * InterProcessMutex, the first `dropped` not measured.
     */
    static Map<String, Number> uncontended(Env env, int cycles, int dropped) throws Exception {
        CuratorFramework client = env.newClient();
        try {
            FencedMutex lock = new FencedMutex(client, env.prefix() + "/w1");
            for (int i = 0; i < dropped; i++) cycle(lock, null, null, 0);
            int measured = cycles - dropped;
            double[] acquire = new double[measured];
            double[] release = new double[measured];
            PacketMeter.Measured<Double> m = env.meter().measure(() -> {
                double start = nowMs();
                for (int i = 0; i < measured; i++) cycle(lock, acquire, release, i);
                return nowMs() - start;
            });
            double elapsedMs = m.result();
            Map<String, Number> fields = new LinkedHashMap<>();
            fields.put("cycles", measured);
            fields.put("cycles_per_s", round(measured * 1000 / elapsedMs, 0));
            fields.put("acquire_p50_ms", round(nearestRank(acquire, 50), 3));
            fields.put("acquire_p99_ms", round(nearestRank(acquire, 99), 3));
            fields.put("release_p50_ms", round(nearestRank(release, 50), 3));
            fields.put("release_p99_ms", round(nearestRank(release, 99), 3));
            fields.put("packets_per_cycle", ratio(m.packets(), measured, 3));
            return fields;
        } finally {
            client.close();
        }
    }

    /** One W1 cycle; records its acquire and release times at `i` unless the arrays are null. */
    static void cycle(FencedMutex lock, double[] acquire, double[] release, int i) throws Exception {
        double start = nowMs();
        lock.acquire();
        // The fencing token must be available on every acquisition (the issue counts its cost).
        if (lock.fencingToken() < 0) throw new IllegalStateException("W1: no fencing token after acquire()");
        double acquired = nowMs();
        lock.release();
        if (acquire != null) {
            acquire[i] = acquired - start;
            release[i] = nowMs() - acquired;
        }
    }

    /** What a contended client acquires and releases: Curator's mutex or one semaphore lease. */
    interface Slot {
        void acquire() throws Exception;

        void release() throws Exception;
    }

    static Slot mutexSlot(CuratorFramework client, String path) {
        InterProcessMutex mutex = new InterProcessMutex(client, path);
        return new Slot() {
            public void acquire() throws Exception {
                mutex.acquire();
            }

            public void release() throws Exception {
                mutex.release();
            }
        };
    }

    static Slot semaphoreSlot(CuratorFramework client, String path, int leases) {
        InterProcessSemaphoreV2 semaphore = new InterProcessSemaphoreV2(client, path, leases);
        return new Slot() {
            private Lease lease;

            public void acquire() throws Exception {
                lease = semaphore.acquire();
            }

            public void release() {
                semaphore.returnLease(lease);
                lease = null;
            }
        };
    }

    /**
     * contend.ts's hold. With no hold time the TS holder yields one event-loop turn so that an
     * acquisition resolving meanwhile sees the raised gauge; the thread equivalent is
     * Thread.yield(), which lets another thread whose acquire() just returned run first.
     */
    static void hold(int holdMs) throws InterruptedException {
        if (holdMs > 0) Thread.sleep(holdMs);
        else Thread.yield();
    }

    record Contention(int acquisitions, Double perSecond, Double waitP50Ms, Double waitP99Ms,
                      int maxHolders, int violations, double avgHolders, Double packetsPerAcquisition) {}

    /**
     * contend.ts: `clients` lock objects on one key, each on its own CuratorFramework (its own
     * session, like `connectionPerLock`), each running `cycles` acquire→hold→release cycles, all
     * started together after one unmeasured cycle each (so connecting is not measured). A mutex
     * (limit 1) is an InterProcessMutex, otherwise an InterProcessSemaphoreV2 of `maxHolders`
     * leases. Curator's acquire() blocks, so each client runs on a thread of its own; a barrier
     * starts them together, and its action (run once all have arrived) starts the clock.
     */
    static Contention contend(Env env, String key, int maxHolders, int clients, int cycles, int holdMs)
            throws Exception {
        String path = env.prefix() + "/" + key;
        List<CuratorFramework> sessions = new ArrayList<>();
        try {
            List<Slot> slots = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                CuratorFramework client = env.newClient();
                sessions.add(client);
                slots.add(maxHolders == 1 ? mutexSlot(client, path) : semaphoreSlot(client, path, maxHolders));
            }
            for (Slot slot : slots) {
                slot.acquire();
                slot.release();
            }

            double[][] waits = new double[clients][cycles];
            AtomicReference<HolderGauge> gauge = new AtomicReference<>();
            double[] start = new double[1];
            CyclicBarrier barrier = new CyclicBarrier(clients + 1, () -> {
                gauge.set(new HolderGauge(maxHolders));
                start[0] = nowMs();
            });
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                Slot slot = slots.get(c);
                double[] myWaits = waits[c];
                Thread thread = new Thread(() -> {
                    try {
                        barrier.await();
                        HolderGauge g = gauge.get();
                        for (int i = 0; i < cycles; i++) {
                            double asked = nowMs();
                            slot.acquire();
                            g.acquired();
                            myWaits[i] = nowMs() - asked;
                            hold(holdMs);
                            g.released();
                            slot.release();
                        }
                    } catch (Throwable error) {
                        failure.compareAndSet(null, error);
                        barrier.reset(); // a client that fails before the start breaks the barrier
                    }
                }, key + "-client-" + c);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }

            PacketMeter.Measured<double[]> m = env.meter().measure(() -> {
                try {
                    barrier.await();
                } catch (java.util.concurrent.BrokenBarrierException ignored) {
                    // a client failed before the start; its error is raised below
                }
                for (Thread thread : threads) thread.join();
                if (failure.get() != null) throw new IllegalStateException(key + ": a client failed", failure.get());
                double elapsedMs = nowMs() - start[0];
                return new double[] {elapsedMs, gauge.get().averageHolders()};
            });
            int acquisitions = clients * cycles;
            // Not a field of W4/W4h, but worth seeing next to W2's: stderr only.
            progress("BenchOne: " + key + ": " + m.packets() + " packets in the measured phase, "
                    + ratio(m.packets(), acquisitions, 3) + " per acquisition");
            double[] allWaits = Arrays.stream(waits).flatMapToDouble(Arrays::stream).toArray();
            HolderGauge g = gauge.get();
            return new Contention(
                    acquisitions,
                    round(acquisitions * 1000 / m.result()[0], 0),
                    round(nearestRank(allWaits, 50), 3),
                    round(nearestRank(allWaits, 99), 3),
                    g.maxHolders(),
                    g.violations(),
                    m.result()[1],
                    ratio(m.packets(), acquisitions, 3));
        } finally {
            for (CuratorFramework client : sessions) client.close();
        }
    }

    /** W2 (contended.ts): a mutex, 16 clients on their own sessions, 100 cycles each, no hold. */
    static Map<String, Number> contended(Env env, int clients, int cycles, int holdMs) throws Exception {
        Contention c = contend(env, "w2", 1, clients, cycles, holdMs);
        Map<String, Number> fields = new LinkedHashMap<>();
        fields.put("clients", clients);
        fields.put("acquisitions", c.acquisitions());
        fields.put("acquisitions_per_s", c.perSecond());
        fields.put("wait_p50_ms", c.waitP50Ms());
        fields.put("wait_p99_ms", c.waitP99Ms());
        fields.put("max_holders", c.maxHolders());
        fields.put("violations", c.violations());
        fields.put("packets_per_acquisition", c.packetsPerAcquisition());
        return fields;
    }

    /** The fields W4 and W4h share (semaphore.ts). */
    static Map<String, Number> leaseFields(int clients, Contention c) {
        Map<String, Number> fields = new LinkedHashMap<>();
        fields.put("clients", clients);
        fields.put("leases", c.acquisitions());
        fields.put("leases_per_s", c.perSecond());
        fields.put("wait_p50_ms", c.waitP50Ms());
        fields.put("wait_p99_ms", c.waitP99Ms());
        fields.put("max_holders", c.maxHolders());
        fields.put("violations", c.violations());
        return fields;
    }

    /** W4 (semaphore.ts): a semaphore of 3 slots, 16 clients on their own sessions, 50 cycles each. */
    static Map<String, Number> semaphore(Env env, int clients, int cycles, int holdMs) throws Exception {
        return leaseFields(clients, contend(env, "w4", SLOTS, clients, cycles, holdMs));
    }

    /** W4h (semaphore.ts): W4 with a 5 ms hold, and the time-weighted mean of holders. */
    static Map<String, Number> semaphoreWithHold(Env env, int clients, int cycles, int holdMs) throws Exception {
        Contention c = contend(env, "w4h", SLOTS, clients, cycles, holdMs);
        Map<String, Number> fields = leaseFields(clients, c);
        fields.put("avg_holders", round(c.avgHolders(), 2));
        return fields;
    }

    record ManyKeysResult(double acquireMs, double releaseMs, long sessions) {}

    /**
     * W3 (many-keys.ts): one process holds `keys` distinct, never used keys at once on one
     * session, then releases them all.
     *
     * Curator's acquire() blocks, so a Curator user gets concurrency from a thread pool; and an
     * InterProcessMutex belongs to the thread that acquired it (release() from another thread
     * throws IllegalMonitorStateException), so a lock cannot be handed back to the pool and
     * released by whichever thread is free. So each of W3_WORKERS pooled workers takes the next
     * unclaimed key until none is left, keeps the mutexes it acquired, waits until every key is
     * held, and then releases its own.
     */
    static Map<String, Number> manyKeys(Env env, int keys) throws Exception {
        // The prefix is a namespace a user creates once; the keys under it are new. As in the TS
        // workload, a warm-up lock creates it on a session that is then closed, and the bench
        // waits until the server has seen it go, so the measured phase starts with no client.
        CuratorFramework warmUp = env.newClient();
        try {
            InterProcessMutex lock = new InterProcessMutex(warmUp, env.prefix() + "/warm-up");
            lock.acquire();
            lock.release();
        } finally {
            warmUp.close();
        }
        env.meter().quiesce();
        Counters before = env.meter().read();
        long rssBefore = rssBytes();
        RssSampler sampler = new RssSampler();
        ExecutorService pool = Executors.newFixedThreadPool(W3_WORKERS);
        AtomicReference<CuratorFramework> session = new AtomicReference<>();
        try {
            PacketMeter.Measured<ManyKeysResult> m = env.meter().measure(() -> {
                // The TS workload's session connects inside the measured phase (its first lock()
                // opens it), so this one does too.
                double start = nowMs();
                CuratorFramework client = env.newClient();
                session.set(client);
                AtomicInteger nextKey = new AtomicInteger();
                CountDownLatch allHeld = new CountDownLatch(W3_WORKERS);
                CountDownLatch releaseAll = new CountDownLatch(1);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                List<Future<?>> workers = new ArrayList<>();
                for (int w = 0; w < W3_WORKERS; w++) {
                    workers.add(pool.submit(() -> {
                        List<InterProcessMutex> mine = new ArrayList<>();
                        try {
                            for (int i = nextKey.getAndIncrement(); i < keys && failure.get() == null;
                                 i = nextKey.getAndIncrement()) {
                                InterProcessMutex mutex =
                                        new InterProcessMutex(client, env.prefix() + String.format("/k%05d", i));
                                mutex.acquire();
                                mine.add(mutex);
                            }
                        } catch (Throwable error) {
                            failure.compareAndSet(null, error);
                        } finally {
                            allHeld.countDown();
                        }
                        releaseAll.await();
                        for (InterProcessMutex mutex : mine) mutex.release();
                        return null;
                    }));
                }
                allHeld.await();
                double acquired = nowMs();
                Counters held;
                try {
                    if (failure.get() != null) throw new IllegalStateException("W3: an acquire failed", failure.get());
                    held = env.meter().read();
                } finally {
                    releaseAll.countDown();
                }
                double releaseStart = nowMs();
                for (Future<?> worker : workers) worker.get();
                return new ManyKeysResult(acquired - start, nowMs() - releaseStart,
                        held.aliveConnections() - before.aliveConnections());
            });
            long peak = sampler.stop();
            Map<String, Number> fields = new LinkedHashMap<>();
            fields.put("keys", keys);
            fields.put("acquire_all_s", round(m.result().acquireMs() / 1000, 3));
            fields.put("release_all_s", round(m.result().releaseMs() / 1000, 3));
            fields.put("rss_before_mb", round(megabytes(rssBefore), 1));
            fields.put("peak_rss_mb", round(megabytes(peak), 1));
            fields.put("packets_per_key", ratio(m.packets(), keys, 3));
            fields.put("sessions", m.result().sessions());
            fields.put("workers", W3_WORKERS);
            return fields;
        } finally {
            pool.shutdownNow();
            if (session.get() != null) session.get().close();
        }
    }

    // --- bench-one.ts ------------------------------------------------------------------------

    static final String USAGE =
            "usage: bench-one.sh <connectString> <W1|W2|W3|W4|W4h> [--smoke] [--prefix <znode path>]\n"
                    + "  --smoke   small counts and a 4 s session timeout (the test suite's run)\n"
                    + "  --prefix  znode path the locks live under (default /locks/bench-curator/<pid>-<time>/<workload>)";

    static Map<String, Number> runWorkload(String workload, Env env, boolean smoke) throws Exception {
        // The TS workloads' parameters, full and smoke (uncontended.ts, contended.ts,
        // many-keys.ts, semaphore.ts).
        switch (workload) {
            case "W1":
                return smoke ? uncontended(env, 30, 5) : uncontended(env, 2000, 100);
            case "W2":
                return smoke ? contended(env, 4, 10, 0) : contended(env, 16, 100, 0);
            case "W3":
                return smoke ? manyKeys(env, 50) : manyKeys(env, 5000);
            case "W4":
                return smoke ? semaphore(env, 4, 10, 0) : semaphore(env, 16, 50, 0);
            case "W4h":
                return smoke ? semaphoreWithHold(env, 4, 10, 5) : semaphoreWithHold(env, 16, 50, 5);
            default:
                throw new IllegalArgumentException("unknown workload " + workload);
        }
    }

    public static void main(String[] args) {
        // Nothing but the result line may reach stdout: whatever else prints goes to stderr.
        resultOut = System.out;
        System.setOut(System.err);

        String connectString = null, workload = null, prefix = null;
        boolean smoke = false;
        List<String> positionals = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--prefix" -> {
                    if (i + 1 >= args.length) usage("--prefix needs a value");
                    prefix = args[++i];
                }
                default -> {
                    if (args[i].startsWith("--")) usage("unknown option " + args[i]);
                    positionals.add(args[i]);
                }
            }
        }
        if (positionals.size() != 2) usage(null);
        connectString = positionals.get(0);
        workload = positionals.get(1);
        if (!List.of("W1", "W2", "W3", "W4", "W4h").contains(workload)) usage("unknown workload " + workload);
        if (prefix != null) {
            try {
                PathUtils.validatePath(prefix);
            } catch (IllegalArgumentException e) {
                usage("--prefix: " + e.getMessage());
            }
            if (prefix.equals("/")) usage("--prefix: not the root");
        } else {
            prefix = "/locks/bench-curator/" + ProcessHandle.current().pid() + "-" + System.currentTimeMillis()
                    + "/" + workload;
        }

        AtomicBoolean finished = new AtomicBoolean(false);
        String name = workload;
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(DEADLINE_MS);
            } catch (InterruptedException e) {
                return;
            }
            if (finished.compareAndSet(false, true)) {
                progress("BenchOne: workload " + name + " took longer than " + DEADLINE_MS / 1000 + " s");
                Runtime.getRuntime().halt(1); // nothing was printed on stdout
            }
        }, "deadline");
        watchdog.setDaemon(true);
        watchdog.start();

        String line;
        try {
            PacketMeter meter = new PacketMeter(parseConnectString(connectString));
            Env env = new Env(connectString, smoke ? SMOKE_SESSION_TIMEOUT_MS : SESSION_TIMEOUT_MS, prefix, meter);
            progress("BenchOne: " + LIB + " " + workload + " (" + (smoke ? "smoke" : "full") + ") under " + prefix);
            meter.quiesce(); // run.ts: no previous run's closing sessions in this run's counts
            line = jsonLine(workload, runWorkload(workload, env, smoke));
        } catch (Throwable error) {
            if (finished.compareAndSet(false, true)) {
                System.err.print("BenchOne failed: ");
                error.printStackTrace(System.err);
                System.err.flush();
                Runtime.getRuntime().halt(1);
            }
            return;
        }
        if (!finished.compareAndSet(false, true)) return; // the deadline fired meanwhile
        resultOut.println(line);
        resultOut.flush();

        // Every client was closed, so the JVM should end by itself; if something was left
        // running, say so rather than hang the tool that drives this command.
        Thread grace = new Thread(() -> {
            try {
                Thread.sleep(EXIT_GRACE_MS);
            } catch (InterruptedException e) {
                return;
            }
            progress("BenchOne: still running " + EXIT_GRACE_MS + " ms after the result: threads left open");
            Runtime.getRuntime().halt(0);
        }, "exit-grace");
        grace.setDaemon(true);
        grace.start();
    }

    static void usage(String problem) {
        if (problem != null) System.err.println("BenchOne: " + problem);
        System.err.println(USAGE);
        System.err.flush();
        Runtime.getRuntime().halt(2);
    }
}
