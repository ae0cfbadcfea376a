import { constants } from 'node:os';

/** The signals that interrupt a CLI command: waiting gives up, a child is sent them, a watch ends. */
export const INTERRUPTS = ['SIGINT', 'SIGTERM'] as const;

/** A shell's exit code for a process ended by `signal`: 128 + its number. */
export const signalExitCode = (signal: NodeJS.Signals): number => 128 + (constants.signals[signal] ?? 0);
