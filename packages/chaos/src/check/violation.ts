/** The property a violation breaks, named after the checker's letters in issue 6. */
export type CheckName =
  | 'history' // the history itself is inconsistent (an event that fits no attempt)
  | 'crash' // a worker died without being killed by the runner
  | 'aborted' // the fault plan could not be carried out
  | 'exclusion' // (a)
  | 'leadership' // (a'): at most one leader of an election at a time
  | 'fencing' // (b)
  | 'liveness' // (c)
  | 'leftovers' // (d)
  | 'lost-timing'; // (e)

export interface Violation {
  readonly check: CheckName;
  readonly key?: string;
  readonly message: string;
}

export const violation = (check: CheckName, message: string, key?: string): Violation =>
  key === undefined ? { check, message } : { check, key, message };
