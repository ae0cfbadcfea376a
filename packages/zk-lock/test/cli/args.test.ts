import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CONNECT,
  DEFAULT_GRACE_MS,
  parseCli,
  type CliArgs,
  type UsageError,
} from '../../src/cli/args.js';

const parsed = (argv: string[], env: Record<string, string> = {}): CliArgs => {
  const result = parseCli(argv, env);
  if (E.isLeft(result)) throw new Error(`expected a command, got: ${result.left.message}`);
  return result.right;
};

const usage = (argv: string[]): UsageError => {
  const result = parseCli(argv, {});
  if (E.isRight(result)) throw new Error(`expected a usage error, got ${JSON.stringify(result.right)}`);
  return result.left;
};

describe('zk-lock exec arguments', () => {
  it('takes the key before -- and the command with its own options after it', () => {
    expect(parsed(['exec', 'jobs', '--', 'ls', '-l', '--timeout', '5'])).toEqual({
      command: 'exec',
      key: 'jobs',
      argv: ['ls', '-l', '--timeout', '5'],
      connection: { connect: DEFAULT_CONNECT, prefix: undefined, sessionTimeout: undefined },
      timeout: 0,
      maxHolders: 1,
      graceMs: DEFAULT_GRACE_MS,
      mode: 'exclusive',
      failImmediate: false,
      verbose: false,
    });
  });

  it('reads every option, short and long', () => {
    expect(
      parsed([
        'exec',
        '-c',
        'h1:1,h2:2',
        '-p',
        'a/b',
        '--session-timeout',
        '4000',
        '-t',
        '250',
        '-m',
        '3',
        '-n',
        '--grace',
        '0',
        '-v',
        'k',
        '--',
        'true',
      ]),
    ).toMatchObject({
      connection: { connect: 'h1:1,h2:2', prefix: 'a/b', sessionTimeout: 4000 },
      timeout: 250,
      maxHolders: 3,
      failImmediate: true,
      graceMs: 0,
      verbose: true,
    });
  });

  it('takes --parent-nodes on the commands that create lock nodes, and refuses a bad mode naming it', () => {
    expect(parsed(['exec', '--parent-nodes', 'persistent', 'k', '--', 'true'])).toMatchObject({
      connection: { parentNodes: 'persistent' },
    });
    expect(parsed(['elect', '--parent-nodes', 'container', 'k', '--', 'true'])).toMatchObject({
      connection: { parentNodes: 'container' },
    });
    expect(parsed(['exec', 'k', '--', 'true'])).toMatchObject({ connection: { parentNodes: undefined } });
    expect(usage(['exec', '--parent-nodes', 'ephemeral', 'k', '--', 'true'])).toMatchObject({
      topic: 'exec',
      message: "--parent-nodes: expected 'container' or 'persistent', got 'ephemeral'",
    });
    // status and leader create nothing.
    expect(usage(['status', '--parent-nodes', 'persistent', 'k']).message).toMatch(/--parent-nodes/);
  });

  it('takes the connect string and prefix from the environment when no option names them', () => {
    expect(
      parsed(['exec', 'k', '--', 'true'], { ZK_LOCK_CONNECT: 'zk:2181', ZK_LOCK_PREFIX: 'env' }),
    ).toMatchObject({ connection: { connect: 'zk:2181', prefix: 'env' } });
    expect(parsed(['exec', '-c', 'cli:1', 'k', '--', 'true'], { ZK_LOCK_CONNECT: 'zk:2181' })).toMatchObject({
      connection: { connect: 'cli:1' },
    });
  });

  it('takes read and write modes', () => {
    expect(parsed(['exec', '--read', 'k', '--', 'true'])).toMatchObject({ mode: 'read' });
    expect(parsed(['exec', '--write', 'k', '--', 'true'])).toMatchObject({ mode: 'write' });
  });

  it.each([
    [['exec', '--', 'true'], 'missing <key>'],
    [['exec', 'k'], "missing the command: put it after '--'"],
    [['exec', 'k', '--'], "missing the command: put it after '--'"],
    [['exec', 'k', 'ls'], "unexpected 'ls': put the command after '--', e.g. zk-lock exec k -- ls"],
    [['exec', 'k', 'ls', '-l'], "Unknown option '-l'"],
    [
      ['exec', '--timeout', 'soon', 'k', '--', 'true'],
      "--timeout: expected a non-negative integer, got 'soon'",
    ],
    [['exec', '--timeout', '-1', 'k', '--', 'true'], '--timeout'],
    [
      ['exec', '--max-holders', '0', 'k', '--', 'true'],
      "--max-holders: expected a positive integer, got '0'",
    ],
    [
      ['exec', '--max-holders', '1.5', 'k', '--', 'true'],
      "--max-holders: expected a positive integer, got '1.5'",
    ],
    [['exec', '--session-timeout', '0', 'k', '--', 'true'], '--session-timeout: expected a positive integer'],
    [['exec', '--grace', 'x', 'k', '--', 'true'], '--grace: expected a non-negative integer'],
    [['exec', '--read', '--write', 'k', '--', 'true'], '--read and --write exclude each other'],
    [['exec', '--read', '-m', '2', 'k', '--', 'true'], '--max-holders applies to exclusive locks'],
    [['exec', '--connect', '', 'k', '--', 'true'], '--connect: expected host:port'],
    [['exec', '--frobnicate', 'k', '--', 'true'], "'--frobnicate'"],
  ])('rejects %j: %s', (argv, message) => {
    const error = usage(argv);
    expect(error.topic).toBe('exec');
    expect(error.message).toContain(message);
  });

  it('answers --help even with other arguments', () => {
    expect(parsed(['exec', 'k', '--help'])).toEqual({ command: 'help', topic: 'exec' });
  });
});

describe('zk-lock status arguments', () => {
  it('takes a key, --json and a holder count', () => {
    expect(parsed(['status', '--json', '-m', '2', 'k'])).toMatchObject({
      command: 'status',
      key: 'k',
      json: true,
      maxHolders: 2,
    });
    expect(parsed(['status', 'k'])).toMatchObject({ json: false, maxHolders: undefined });
  });

  it('rejects a missing key and extra arguments', () => {
    expect(usage(['status']).message).toBe('missing <key>');
    expect(usage(['status', 'a', 'b']).message).toBe("unexpected argument 'b'");
  });
});

describe('zk-lock elect arguments', () => {
  it('takes the key before -- and the command after it, a value, a timeout and a grace period', () => {
    expect(
      parsed([
        'elect',
        '--value',
        '10.0.0.7:8080',
        '-t',
        '500',
        '--grace',
        '100',
        'sched',
        '--',
        'run',
        '-x',
      ]),
    ).toEqual({
      command: 'elect',
      key: 'sched',
      argv: ['run', '-x'],
      connection: { connect: DEFAULT_CONNECT, prefix: undefined, sessionTimeout: undefined },
      value: '10.0.0.7:8080',
      timeout: 500,
      graceMs: 100,
      verbose: false,
    });
    expect(parsed(['elect', 'sched', '--', 'run'])).toMatchObject({
      value: undefined,
      timeout: 0,
      graceMs: DEFAULT_GRACE_MS,
    });
  });

  it('rejects a missing command, a command without --, and lock-only options', () => {
    expect(usage(['elect', 'k']).message).toBe("missing the command: put it after '--'");
    expect(usage(['elect', 'k', 'run']).message).toBe(
      "unexpected 'run': put the command after '--', e.g. zk-lock elect k -- run",
    );
    expect(usage(['elect', '--max-holders', '2', 'k', '--', 'run']).message).toMatch(/max-holders/);
    expect(usage(['elect', '--timeout', 'soon', 'k', '--', 'run'])).toMatchObject({
      topic: 'elect',
      message: "--timeout: expected a non-negative integer, got 'soon'",
    });
  });
});

describe('zk-lock leader arguments', () => {
  it('takes a key, --json and --watch', () => {
    expect(parsed(['leader', '-c', 'h:1', 'sched'])).toEqual({
      command: 'leader',
      key: 'sched',
      connection: { connect: 'h:1', prefix: undefined, sessionTimeout: undefined },
      json: false,
      watch: false,
      verbose: false,
    });
    expect(parsed(['leader', '--json', '-w', 'sched'])).toMatchObject({ json: true, watch: true });
  });

  it('rejects a missing key and extra arguments', () => {
    expect(usage(['leader']).message).toBe('missing <key>');
    expect(usage(['leader', 'a', 'b']).message).toBe("unexpected argument 'b'");
  });
});

describe('zk-lock commands', () => {
  it('has help for every command and a version', () => {
    expect(parsed(['--help'])).toEqual({ command: 'help', topic: 'main' });
    expect(parsed(['help', 'status'])).toEqual({ command: 'help', topic: 'status' });
    expect(parsed(['help', 'elect'])).toEqual({ command: 'help', topic: 'elect' });
    expect(parsed(['leader', '--help'])).toEqual({ command: 'help', topic: 'leader' });
    expect(parsed(['demo', '-h'])).toEqual({ command: 'help', topic: 'demo' });
    expect(parsed(['--version'])).toEqual({ command: 'version' });
  });

  it('takes an existing server for the demo', () => {
    expect(parsed(['demo', '--connect', '127.0.0.1:2181'])).toEqual({
      command: 'demo',
      connect: '127.0.0.1:2181',
      verbose: false,
    });
  });

  it('rejects an unknown or missing command', () => {
    expect(usage(['lock', 'k']).message).toBe("unknown command 'lock'");
    expect(usage([]).message).toBe('missing command');
  });
});
