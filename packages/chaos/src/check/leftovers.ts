import { violation, type Violation } from './violation.js';

/** What the final scan found once every worker had ended and every killed worker's session expired. */
export interface FinalScan {
  /** Full paths of `lock-` nodes still under `/locks`. */
  readonly lockNodes: ReadonlyArray<string>;
  /** Session ids of client connections still open on any member (from `cons`). */
  readonly openSessions: ReadonlyArray<string>;
  /** Sessions the leader still tracks, with or without a connection (`mntr` zk_global_sessions). */
  readonly trackedSessions: number;
}

/** (d) Nothing is left behind: no lock node and no client session. */
export const checkLeftovers = (scan: FinalScan): Violation[] => [
  ...scan.lockNodes.map((path) => violation('leftovers', `lock node left behind: ${path}`)),
  ...scan.openSessions.map((sid) =>
    violation('leftovers', `session still open after every worker ended: ${sid}`),
  ),
  ...(scan.trackedSessions > 0
    ? [
        violation(
          'leftovers',
          `the leader still tracks ${scan.trackedSessions} session(s) after every worker ended`,
        ),
      ]
    : []),
];
