import { connect } from 'node:net';
import type { ServerAddress } from './connect-string.js';

/**
 * Ask a server a four-letter word (`mntr`, `cons`, ...) and collect the answer, which the server
 * ends by closing the connection. `bench:one` only knows a connect string, so it cannot use the
 * testkit's handle for this.
 */
export const fourLetterWord = (server: ServerAddress, word: string, timeoutMs = 5_000): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: server.host, port: server.port }, () => socket.end(word));
    socket.setTimeout(timeoutMs, () =>
      socket.destroy(new Error(`${word} to ${server.host}:${server.port}: no answer in ${timeoutMs} ms`)),
    );
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', (hadError) => {
      if (!hadError) resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
