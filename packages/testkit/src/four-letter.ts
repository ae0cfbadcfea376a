import { connect } from 'node:net';
import { LOOPBACK } from './ports.js';

export type FourLetterWord = 'ruok' | 'srvr' | 'mntr' | 'cons' | 'stat' | 'conf' | 'isro';

/** What `srvr` says about a server; `down` when it does not answer at all (stopped, paused, gone). */
export type ServerMode =
  'leader' | 'follower' | 'observer' | 'standalone' | 'read-only' | 'not-serving' | 'down';

/**
 * Sends a four-letter word and resolves with the whole answer (the server closes the connection
 * after answering). Rejects when it does not answer within `timeoutMs`, e.g. a paused server.
 */
export const fourLetterWord = (port: number, word: FourLetterWord, timeoutMs = 2_000): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: LOOPBACK, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new Error(`${word} on ${LOOPBACK}:${port}: no answer within ${timeoutMs} ms`));
    });
    socket.once('connect', () => socket.end(word));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.once('error', (error) => reject(new Error(`${word} on ${LOOPBACK}:${port}: ${error.message}`)));
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });

export const parseMode = (srvr: string): ServerMode => {
  const mode = /^Mode: (\S+)/m.exec(srvr)?.[1];
  switch (mode) {
    case 'leader':
    case 'follower':
    case 'observer':
    case 'standalone':
    case 'read-only':
      return mode;
    default:
      return 'not-serving';
  }
};

export const modeOf = async (port: number, timeoutMs?: number): Promise<ServerMode> => {
  try {
    return parseMode(await fourLetterWord(port, 'srvr', timeoutMs));
  } catch {
    return 'down';
  }
};
