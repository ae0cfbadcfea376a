import { appendFileSync, readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { encodeEvent, parseHistory, type HistoryEvent } from '../history.js';

/** Appends events to a JSON-lines file synchronously, so nothing is lost if the process dies next. */
export const historyWriter =
  (file: string) =>
  (event: HistoryEvent): void =>
    appendFileSync(file, `${encodeEvent(event)}\n`);

/** Reads a JSON-lines history; a bad line is an error naming the file and line. */
export const readHistory = (file: string): ReadonlyArray<HistoryEvent> => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const parsed = parseHistory(text);
  if (E.isLeft(parsed)) throw new Error(`${file}:${parsed.left.line}: ${parsed.left.message}`);
  return parsed.right;
};
