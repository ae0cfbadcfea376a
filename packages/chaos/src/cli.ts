import { parseArgs } from 'node:util';
import { runChaos } from './run/run-chaos.js';

/**
 * `pnpm chaos --minutes N --seed S`: one chaos run of about N minutes. Progress and any violations
 * go to stdout before the last line, which is always one JSON object of figures.
 */
const usage =
  'usage: pnpm chaos [--minutes N] [--seed S]   (N > 0, default 2; S a 32-bit unsigned integer, default 1)';

const parse = (): { minutes: number; seed: number } => {
  const { values } = parseArgs({
    options: { minutes: { type: 'string', default: '2' }, seed: { type: 'string', default: '1' } },
    allowPositionals: false,
    strict: true,
  });
  const minutes = Number(values.minutes);
  const seed = Number(values.seed);
  if (!(minutes > 0)) throw new RangeError(`--minutes: expected a positive number, got ${values.minutes}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError(`--seed: expected an unsigned 32-bit integer, got ${values.seed}`);
  return { minutes, seed };
};

/** Start-up, drain and the final scan take about 25 s; the rest of the run injects faults. */
const SETUP_AND_DRAIN_MS = 25_000;

const main = async (): Promise<number> => {
  let args: { minutes: number; seed: number };
  try {
    args = parse();
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  let run: Awaited<ReturnType<typeof runChaos>>;
  try {
    run = await runChaos({
      seed: args.seed,
      faultPhaseMs: Math.max(30_000, args.minutes * 60_000 - SETUP_AND_DRAIN_MS),
      say: (line) => console.log(line),
    });
  } catch (error) {
    // The run itself failed (e.g. no ensemble): still end with one JSON line.
    console.log((error as Error).stack);
    console.log(JSON.stringify({ seed: args.seed, minutes: args.minutes, error: (error as Error).message }));
    return 2;
  }
  const { result, runDir } = run;
  for (const v of result.violations.slice(0, 50))
    console.log(`VIOLATION ${v.check}${v.key ? ` [${v.key}]` : ''}: ${v.message}`);
  if (result.violations.length > 50) console.log(`... and ${result.violations.length - 50} more`);
  console.log(`history and logs: ${runDir}`);
  console.log(JSON.stringify({ seed: args.seed, minutes: args.minutes, ...result.figures }));
  return result.violations.length === 0 ? 0 : 1;
};

process.exitCode = await main();
