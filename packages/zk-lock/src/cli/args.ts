import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { ParentNodes } from '@zk-lock/core';
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';

/**
 * Turns `zk-lock`'s argv into one validated command, or a usage error that names the offending
 * option. Pure: the environment comes in as a parameter.
 */

export type HelpTopic = 'main' | 'exec' | 'status' | 'elect' | 'leader' | 'demo';

export interface ConnectionArgs {
  /** Connect string, e.g. `127.0.0.1:2181` or `h1:2181,h2:2181`. */
  readonly connect: string;
  readonly prefix: string | undefined;
  readonly sessionTimeout: number | undefined;
  /** How lock parents are created (`--parent-nodes`, on the commands that create them). */
  readonly parentNodes: ParentNodes | undefined;
}

export type LockMode = 'exclusive' | 'read' | 'write';

export interface ExecArgs {
  readonly command: 'exec';
  readonly connection: ConnectionArgs;
  readonly key: string;
  /** The command to run and its arguments: everything after `--`. */
  readonly argv: readonly [string, ...string[]];
  /** 0 waits forever. */
  readonly timeout: number;
  readonly maxHolders: number;
  readonly failImmediate: boolean;
  readonly mode: LockMode;
  /** How long the command has between SIGTERM and SIGKILL once the lock is lost. */
  readonly graceMs: number;
  readonly verbose: boolean;
}

export interface StatusArgs {
  readonly command: 'status';
  readonly connection: ConnectionArgs;
  readonly key: string;
  readonly json: boolean;
  readonly maxHolders: number | undefined;
  readonly verbose: boolean;
}

export interface ElectArgs {
  readonly command: 'elect';
  readonly connection: ConnectionArgs;
  readonly key: string;
  /** The command to run while leading, and its arguments: everything after `--`. */
  readonly argv: readonly [string, ...string[]];
  /** Published in the leader's node (`zk-lock leader` prints it). */
  readonly value: string | undefined;
  /** 0 campaigns forever. */
  readonly timeout: number;
  /** How long the command has between SIGTERM and SIGKILL once the leadership is lost. */
  readonly graceMs: number;
  readonly verbose: boolean;
}

export interface LeaderArgs {
  readonly command: 'leader';
  readonly connection: ConnectionArgs;
  readonly key: string;
  readonly json: boolean;
  /** Print each change until interrupted, not only the current leader. */
  readonly watch: boolean;
  readonly verbose: boolean;
}

export type CliArgs =
  | { readonly command: 'help'; readonly topic: HelpTopic }
  | { readonly command: 'version' }
  | ExecArgs
  | StatusArgs
  | ElectArgs
  | LeaderArgs
  | DemoArgs
  | { readonly command: 'demo-worker'; readonly settings: string };

export interface DemoArgs {
  readonly command: 'demo';
  /** An existing server to use instead of starting a throw-away one. */
  readonly connect: string | undefined;
  readonly verbose: boolean;
}

export interface UsageError {
  readonly _tag: 'UsageError';
  /** The command whose usage was wrong, to point at its `--help`. */
  readonly topic: HelpTopic;
  readonly message: string;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_CONNECT = '127.0.0.1:2181';
export const DEFAULT_GRACE_MS = 10_000;

const usageError = (topic: HelpTopic, message: string): UsageError => ({
  _tag: 'UsageError',
  topic,
  message,
});

const commonOptions = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean', short: 'v' },
} as const satisfies ParseArgsConfig['options'];

const connectionOptions = {
  connect: { type: 'string', short: 'c' },
  prefix: { type: 'string', short: 'p' },
  'session-timeout': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

/** On the commands that create lock nodes (and so their parents). */
const parentNodesOption = {
  'parent-nodes': { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const execOptions = {
  ...commonOptions,
  ...connectionOptions,
  ...parentNodesOption,
  timeout: { type: 'string', short: 't' },
  'max-holders': { type: 'string', short: 'm' },
  'fail-immediate': { type: 'boolean', short: 'n' },
  read: { type: 'boolean' },
  write: { type: 'boolean' },
  grace: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const statusOptions = {
  ...commonOptions,
  ...connectionOptions,
  json: { type: 'boolean' },
  'max-holders': { type: 'string', short: 'm' },
} as const satisfies ParseArgsConfig['options'];

const electOptions = {
  ...commonOptions,
  ...connectionOptions,
  ...parentNodesOption,
  timeout: { type: 'string', short: 't' },
  value: { type: 'string' },
  grace: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const leaderOptions = {
  ...commonOptions,
  ...connectionOptions,
  json: { type: 'boolean' },
  watch: { type: 'boolean', short: 'w' },
} as const satisfies ParseArgsConfig['options'];

/** `parseArgs` throws on unknown or malformed options; its message names the option. */
const parse = <O extends NonNullable<ParseArgsConfig['options']>>(
  topic: HelpTopic,
  args: string[],
  options: O,
) =>
  E.tryCatch(
    () => parseArgs({ args, options, allowPositionals: true, strict: true }),
    (error) => usageError(topic, error instanceof Error ? error.message : String(error)),
  );

/** A decimal integer option `>= min`, or `fallback` when absent. */
const integerOption = (
  topic: HelpTopic,
  option: string,
  raw: string | undefined,
  min: 0 | 1,
  fallback: number,
): E.Either<UsageError, number> => {
  if (raw === undefined) return E.right(fallback);
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  const expected = min === 0 ? 'a non-negative integer' : 'a positive integer';
  return Number.isSafeInteger(value) && value >= min
    ? E.right(value)
    : E.left(usageError(topic, `--${option}: expected ${expected}, got '${raw}'`));
};

const parentNodesArg = (
  topic: HelpTopic,
  raw: string | undefined,
): E.Either<UsageError, ParentNodes | undefined> =>
  raw === undefined || raw === 'container' || raw === 'persistent'
    ? E.right(raw)
    : E.left(usageError(topic, `--parent-nodes: expected 'container' or 'persistent', got '${raw}'`));

const connectionArgs = (
  topic: HelpTopic,
  values: { connect?: string; prefix?: string; 'session-timeout'?: string; 'parent-nodes'?: string },
  env: Env,
): E.Either<UsageError, ConnectionArgs> => {
  const connect = values.connect ?? env['ZK_LOCK_CONNECT'] ?? DEFAULT_CONNECT;
  if (connect.trim() === '')
    return E.left(usageError(topic, '--connect: expected host:port[,host:port...], got nothing'));
  const prefix = values.prefix ?? env['ZK_LOCK_PREFIX'];
  const raw = values['session-timeout'];
  return pipe(
    E.Do,
    E.apS(
      'sessionTimeout',
      raw === undefined ? E.right(undefined) : integerOption(topic, 'session-timeout', raw, 1, 0),
    ),
    E.apS('parentNodes', parentNodesArg(topic, values['parent-nodes'])),
    E.map(({ sessionTimeout, parentNodes }) => ({ connect, prefix, sessionTimeout, parentNodes })),
  );
};

/** The single `<key>` positional; anything more is a command that lacks its `--`. */
const keyArg = (topic: HelpTopic, positionals: string[]): E.Either<UsageError, string> => {
  const [key, ...extra] = positionals;
  if (key === undefined) return E.left(usageError(topic, 'missing <key>'));
  if (extra.length === 0) return E.right(key);
  return E.left(
    usageError(
      topic,
      topic === 'exec' || topic === 'elect'
        ? `unexpected '${extra[0]}': put the command after '--', e.g. zk-lock ${topic} ${key} -- ${extra.join(' ')}`
        : `unexpected argument '${extra[0]}'`,
    ),
  );
};

const lockMode = (values: {
  read?: boolean;
  write?: boolean;
  'max-holders'?: string;
}): E.Either<UsageError, LockMode> => {
  if (values.read && values.write) return E.left(usageError('exec', '--read and --write exclude each other'));
  if ((values.read || values.write) && values['max-holders'] !== undefined)
    return E.left(usageError('exec', '--max-holders applies to exclusive locks, not to --read or --write'));
  return E.right(values.read ? 'read' : values.write ? 'write' : 'exclusive');
};

/** Everything after the first `--` belongs to the command: its options are not ours to parse. */
const splitCommand = (args: string[]): { own: string[]; commandArgv: string[] } => {
  const separator = args.indexOf('--');
  return separator === -1
    ? { own: args, commandArgv: [] }
    : { own: args.slice(0, separator), commandArgv: args.slice(separator + 1) };
};

const commandArg = (
  topic: 'exec' | 'elect',
  commandArgv: string[],
): E.Either<UsageError, readonly [string, ...string[]]> => {
  const [program, ...programArgs] = commandArgv;
  return program === undefined
    ? E.left(usageError(topic, "missing the command: put it after '--'"))
    : E.right([program, ...programArgs]);
};

const parseExec = (args: string[], env: Env): E.Either<UsageError, CliArgs> => {
  const { own, commandArgv } = splitCommand(args);
  return pipe(
    parse('exec', own, execOptions),
    E.chain(({ values, positionals }): E.Either<UsageError, CliArgs> => {
      if (values.help) return E.right({ command: 'help', topic: 'exec' });
      return pipe(
        E.Do,
        E.apS('key', keyArg('exec', positionals)),
        E.apS('argv', commandArg('exec', commandArgv)),
        E.apS('connection', connectionArgs('exec', values, env)),
        E.apS('timeout', integerOption('exec', 'timeout', values.timeout, 0, 0)),
        E.apS('maxHolders', integerOption('exec', 'max-holders', values['max-holders'], 1, 1)),
        E.apS('graceMs', integerOption('exec', 'grace', values.grace, 0, DEFAULT_GRACE_MS)),
        E.apS('mode', lockMode(values)),
        E.map((parsed) => ({
          command: 'exec' as const,
          ...parsed,
          failImmediate: values['fail-immediate'] ?? false,
          verbose: values.verbose ?? false,
        })),
      );
    }),
  );
};

const parseStatus = (args: string[], env: Env): E.Either<UsageError, CliArgs> =>
  pipe(
    parse('status', args, statusOptions),
    E.chain(({ values, positionals }): E.Either<UsageError, CliArgs> => {
      if (values.help) return E.right({ command: 'help', topic: 'status' });
      const raw = values['max-holders'];
      return pipe(
        E.Do,
        E.apS('key', keyArg('status', positionals)),
        E.apS('connection', connectionArgs('status', values, env)),
        E.apS(
          'maxHolders',
          raw === undefined ? E.right(undefined) : integerOption('status', 'max-holders', raw, 1, 1),
        ),
        E.map((parsed) => ({
          command: 'status' as const,
          ...parsed,
          json: values.json ?? false,
          verbose: values.verbose ?? false,
        })),
      );
    }),
  );

const parseElect = (args: string[], env: Env): E.Either<UsageError, CliArgs> => {
  const { own, commandArgv } = splitCommand(args);
  return pipe(
    parse('elect', own, electOptions),
    E.chain(({ values, positionals }): E.Either<UsageError, CliArgs> => {
      if (values.help) return E.right({ command: 'help', topic: 'elect' });
      return pipe(
        E.Do,
        E.apS('key', keyArg('elect', positionals)),
        E.apS('argv', commandArg('elect', commandArgv)),
        E.apS('connection', connectionArgs('elect', values, env)),
        E.apS('timeout', integerOption('elect', 'timeout', values.timeout, 0, 0)),
        E.apS('graceMs', integerOption('elect', 'grace', values.grace, 0, DEFAULT_GRACE_MS)),
        E.map((parsed) => ({
          command: 'elect' as const,
          ...parsed,
          value: values.value,
          verbose: values.verbose ?? false,
        })),
      );
    }),
  );
};

const parseLeader = (args: string[], env: Env): E.Either<UsageError, CliArgs> =>
  pipe(
    parse('leader', args, leaderOptions),
    E.chain(({ values, positionals }): E.Either<UsageError, CliArgs> => {
      if (values.help) return E.right({ command: 'help', topic: 'leader' });
      return pipe(
        E.Do,
        E.apS('key', keyArg('leader', positionals)),
        E.apS('connection', connectionArgs('leader', values, env)),
        E.map((parsed) => ({
          command: 'leader' as const,
          ...parsed,
          json: values.json ?? false,
          watch: values.watch ?? false,
          verbose: values.verbose ?? false,
        })),
      );
    }),
  );

const demoOptions = {
  ...commonOptions,
  connect: connectionOptions.connect,
} as const satisfies ParseArgsConfig['options'];

const parseDemo = (args: string[]): E.Either<UsageError, CliArgs> =>
  pipe(
    parse('demo', args, demoOptions),
    E.chain(({ values, positionals }): E.Either<UsageError, CliArgs> => {
      if (values.help) return E.right({ command: 'help', topic: 'demo' });
      if (positionals.length > 0)
        return E.left(usageError('demo', `unexpected argument '${positionals[0]}'`));
      return E.right({ command: 'demo', connect: values.connect, verbose: values.verbose ?? false });
    }),
  );

/** The demo's worker processes are this CLI again, under a name no user types. */
export const DEMO_WORKER_COMMAND = '__demo-worker';

export const parseCli = (args: readonly string[], env: Env): E.Either<UsageError, CliArgs> => {
  const [command, ...rest] = args;
  switch (command) {
    case 'exec':
      return parseExec(rest, env);
    case 'status':
      return parseStatus(rest, env);
    case 'elect':
      return parseElect(rest, env);
    case 'leader':
      return parseLeader(rest, env);
    case 'demo':
      return parseDemo(rest);
    case 'help':
      return E.right({ command: 'help', topic: isTopic(rest[0]) ? rest[0] : 'main' });
    case DEMO_WORKER_COMMAND:
      return rest.length === 1
        ? E.right({ command: 'demo-worker', settings: rest[0] as string })
        : E.left(usageError('main', `${DEMO_WORKER_COMMAND} takes one JSON argument`));
    case undefined:
      return E.left(usageError('main', 'missing command'));
    case '--help':
    case '-h':
      return E.right({ command: 'help', topic: 'main' });
    case '--version':
    case '-V':
      return E.right({ command: 'version' });
    default:
      return E.left(usageError('main', `unknown command '${command}'`));
  }
};

const isTopic = (word: string | undefined): word is HelpTopic =>
  word === 'exec' || word === 'status' || word === 'elect' || word === 'leader' || word === 'demo';
