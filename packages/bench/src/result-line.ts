import type { Fields, WorkloadName } from './workload.js';

export interface ResultLine {
  readonly lib: string;
  readonly workload: WorkloadName;
  readonly fields: Fields;
}

/**
 * Read what `bench:one` printed: exactly one JSON line with `lib`, `workload` and numeric (or
 * null) fields. Anything else on stdout breaks the tools that drive the command, so it is an error.
 */
export const parseResultLine = (stdout: string, workload: WorkloadName): ResultLine => {
  const lines = stdout.split('\n').filter((line) => line !== '');
  if (lines.length !== 1 || !stdout.endsWith('\n')) {
    throw new Error(
      `bench:one ${workload}: expected exactly one line on stdout, got ${JSON.stringify(stdout)}`,
    );
  }
  const parsed: unknown = JSON.parse(lines[0] as string);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`bench:one ${workload}: the line is not a JSON object: ${lines[0]}`);
  }
  const { lib, workload: named, ...fields } = parsed as Record<string, unknown>;
  if (typeof lib !== 'string' || named !== workload) {
    throw new Error(`bench:one ${workload}: the line lacks lib or names another workload: ${lines[0]}`);
  }
  const bad = Object.entries(fields).filter(([, v]) => v !== null && typeof v !== 'number');
  if (bad.length > 0) {
    throw new Error(`bench:one ${workload}: non-numeric fields ${bad.map(([k]) => k).join(', ')}`);
  }
  return { lib, workload, fields: fields as Fields };
};
