import * as E from 'fp-ts/lib/Either.js';
import { parseCli, type CliArgs, type Env } from './args.js';
import { runDemoCommand, runDemoWorker } from './demo.js';
import { runElect } from './elect.js';
import { runExec } from './exec.js';
import { ExitCode } from './exit-codes.js';
import { describeFailure } from './failure.js';
import { helpText } from './help.js';
import { runLeader } from './leader.js';
import { printError, printNotice } from './report.js';
import { runStatus } from './status.js';
import { version } from './version.js';

/** Runs one `zk-lock` invocation and resolves to its exit code. */

const dispatch = async (args: CliArgs): Promise<number> => {
  switch (args.command) {
    case 'help':
      process.stdout.write(`${helpText(args.topic)}\n`);
      return ExitCode.OK;
    case 'version':
      process.stdout.write(`${version}\n`);
      return ExitCode.OK;
    case 'exec':
      return runExec(args);
    case 'status':
      return runStatus(args);
    case 'elect':
      return runElect(args);
    case 'leader':
      return runLeader(args);
    case 'demo':
      return runDemoCommand(args);
    case 'demo-worker':
      return runDemoWorker(args.settings);
  }
};

const keyOf = (args: CliArgs): string => ('key' in args ? args.key : '');

const verboseOf = (args: CliArgs): boolean => 'verbose' in args && args.verbose;

export const runCli = async (argv: readonly string[], env: Env): Promise<number> => {
  const parsed = parseCli(argv, env);
  if (E.isLeft(parsed)) {
    const { topic, message } = parsed.left;
    printNotice(`${message}\nRun 'zk-lock ${topic === 'main' ? '' : `${topic} `}--help' for usage.`);
    return ExitCode.USAGE;
  }
  try {
    return await dispatch(parsed.right);
  } catch (error) {
    const failure = describeFailure(
      error,
      keyOf(parsed.right),
      parsed.right.command === 'elect' ? 'leadership' : 'lock',
    );
    printError(failure.message, error, verboseOf(parsed.right));
    return failure.code;
  }
};
