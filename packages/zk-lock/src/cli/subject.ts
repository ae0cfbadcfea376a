/** What a command of the CLI waits for and runs under: a lock (`exec`) or a leadership (`elect`). */
export type Subject = 'lock' | 'leadership';

/** `waiting for lock 'k'`, `waiting to lead 'k'`: the phrase messages about the wait use. */
export const waitingFor = (subject: Subject, key: string): string =>
  subject === 'lock' ? `waiting for lock '${key}'` : `waiting to lead '${key}'`;
