import { DEFAULT_CONNECT, DEFAULT_GRACE_MS, type HelpTopic } from './args.js';
import { ExitCode } from './exit-codes.js';

/** The `--help` texts, one per command. */

const connectionHelp = `Connection:
  -c, --connect <hosts>       ZooKeeper connect string, e.g. h1:2181,h2:2181
                              (default: $ZK_LOCK_CONNECT or ${DEFAULT_CONNECT})
  -p, --prefix <path>         lock path prefix: key k locks /locks/<prefix>/k
                              (default: $ZK_LOCK_PREFIX or none)
      --session-timeout <ms>  ZooKeeper session timeout (default: 15000)`;

const parentNodesHelp = `      --parent-nodes <mode>   how the lock's parent node /locks/<prefix>/<key> is
                              created: container (default; ZooKeeper deletes it
                              once empty) or persistent (it stays, as zk-lock 2.x
                              left it; use it while 2.x clients lock the same keys)`;

const commonHelp = `  -v, --verbose               show stack traces of errors
  -h, --help                  show this help`;

const mainHelp = `Usage: zk-lock <command> [options]

Distributed locks on Apache ZooKeeper, from the shell.

Commands:
  exec <key> -- <command...>  run a command while holding the lock <key>
  status <key>                show the holders and waiters of the lock <key>
  elect <key> -- <command...> campaign to lead the election <key>; run a command while leading
  leader <key>                show the leader of the election <key> and its value
  demo                        start a local ZooKeeper and show five workers taking turns

Run 'zk-lock <command> --help' for the options of a command.
  -V, --version               print the version`;

const execHelp = `Usage: zk-lock exec [options] <key> -- <command> [args...]

Waits for the lock <key>, runs <command> while holding it, releases it when the
command ends and exits with the command's exit code. SIGINT and SIGTERM are
forwarded to the command. If the lock is lost (the ZooKeeper session expired or
is presumed expired) the command gets SIGTERM, then SIGKILL after --grace ms.
The command sees the lock's fencing token in $ZK_LOCK_FENCING_TOKEN and the lock
node's path in $ZK_LOCK_PATH.

Lock:
  -t, --timeout <ms>          give up after waiting this long (default: 0 = wait forever)
  -n, --fail-immediate        give up at once if the lock is taken
  -m, --max-holders <n>       let up to n commands hold the lock at once (default: 1)
      --read                  take a shared read lock (many readers, no writer)
      --write                 take an exclusive write lock (see --read)
      --grace <ms>            SIGTERM-to-SIGKILL grace period after a lost lock
                              (default: ${DEFAULT_GRACE_MS})
${parentNodesHelp}

${connectionHelp}

${commonHelp}

Exit codes:
  <n>   the command's own exit code (128 + signal number if a signal ended it)
  ${ExitCode.USAGE}    bad usage (unknown option, missing key or command, malformed value)
  ${ExitCode.ALREADY_LOCKED}    --fail-immediate and the lock is taken
  ${ExitCode.LOST}   the lock was lost while the command ran; the command was stopped
  ${ExitCode.TIMEOUT}   the lock was not acquired within --timeout
  ${ExitCode.FAILURE}   zk-lock failed (ZooKeeper unreachable or refused a request)
  ${ExitCode.CANNOT_EXECUTE}   the command could not be run
  ${ExitCode.NOT_FOUND}   the command was not found
  130/143  interrupted by SIGINT/SIGTERM while waiting for the lock

Example:
  zk-lock exec --timeout 30000 nightly-report -- ./make-report.sh --full`;

const statusHelp = `Usage: zk-lock status [options] <key>

Lists who holds the lock <key> and who waits for it, in queue order: node,
sequence, czxid and the owner each new client stores in its node (host, pid,
lock id, time). Nodes of zk-lock 2.x clients show an unknown owner.

Options:
      --json                  print one JSON object instead of a table
  -m, --max-holders <n>       how many may hold the lock at once, to tell holders
                              from waiters of a semaphore (default: 1; read/write
                              locks need no hint)

${connectionHelp}

${commonHelp}

Exit codes: 0 listed (also when nobody holds the lock), ${ExitCode.USAGE} bad usage, ${ExitCode.FAILURE} ZooKeeper failure.`;

const electHelp = `Usage: zk-lock elect [options] <key> -- <command> [args...]

Campaigns to lead the election <key> (a lock whose holder is the leader, on the
same nodes as 'exec'), runs <command> while leading, resigns when the command
ends (the next campaigner leads at once) and exits with the command's exit code.
SIGINT and SIGTERM are forwarded to the command. If the leadership is lost (the
ZooKeeper session expired or is presumed expired) the command gets SIGTERM, then
SIGKILL after --grace ms. The command sees the leadership's fencing token in
$ZK_LOCK_FENCING_TOKEN and the leader node's path in $ZK_LOCK_PATH.

Election:
      --value <text>          publish this while leading, e.g. this host's address
                              ('zk-lock leader' shows it; at most 64 KiB)
  -t, --timeout <ms>          give up after campaigning this long (default: 0 = forever)
      --grace <ms>            SIGTERM-to-SIGKILL grace period after a lost leadership
                              (default: ${DEFAULT_GRACE_MS})
${parentNodesHelp}

${connectionHelp}

${commonHelp}

Exit codes:
  <n>   the command's own exit code (128 + signal number if a signal ended it)
  ${ExitCode.USAGE}    bad usage (unknown option, missing key or command, malformed value)
  ${ExitCode.LOST}   the leadership was lost while the command ran; the command was stopped
  ${ExitCode.TIMEOUT}   not leading within --timeout
  ${ExitCode.FAILURE}   zk-lock failed (ZooKeeper unreachable or refused a request)
  ${ExitCode.CANNOT_EXECUTE}   the command could not be run
  ${ExitCode.NOT_FOUND}   the command was not found
  130/143  interrupted by SIGINT/SIGTERM while campaigning

Example:
  zk-lock elect --value "$(hostname):8080" scheduler -- ./run-scheduler.sh`;

const leaderHelp = `Usage: zk-lock leader [options] <key>

Shows the leader of the election <key>: its node, the value it published, its
host and pid, and its fencing token. Nodes of zk-lock 2.x clients show an
unknown owner and no value.

Options:
  -w, --watch                 print the leader now, then a line for each change
                              (a new leader, a new value, nobody), until
                              interrupted; driven by ZooKeeper watches
      --json                  print JSON objects instead of text (one per line)

${connectionHelp}

${commonHelp}

Exit codes: 0 someone leads (and --watch ended by SIGINT/SIGTERM), ${ExitCode.NO_LEADER} nobody leads,
${ExitCode.USAGE} bad usage, ${ExitCode.FAILURE} ZooKeeper failure.`;

const demoHelp = `Usage: zk-lock demo [options]

Starts a throw-away local ZooKeeper, runs five worker processes that contend for
one key through ZookeeperLock and prints a timeline of who held the lock when,
with fencing tokens. The local ZooKeeper needs Java 17 or later (java on PATH,
or JAVA_HOME) and ZooKeeper's jar (ZOOKEEPER_JAR, ZOOKEEPER_HOME, or Debian's
zookeeper package); --connect needs neither. Exits 0 when no two workers ever
held the lock at once.

Options:
  -c, --connect <host:port>   use this ZooKeeper instead of starting one

${commonHelp}`;

export const helpText = (topic: HelpTopic): string =>
  ({
    main: mainHelp,
    exec: execHelp,
    status: statusHelp,
    elect: electHelp,
    leader: leaderHelp,
    demo: demoHelp,
  })[topic];
