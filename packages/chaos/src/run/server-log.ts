import { normalizeSessionId } from '../check/index.js';

const EXPIRY =
  /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d),(\d{3}) .*Expiring session (0x[0-9a-f]+), timeout of \d+ms exceeded/;

/**
 * Session expiries from ZooKeeper log text (`%d{ISO8601}` lines, local time, as the testkit
 * configures them): session id → the earliest wall-clock time (ms since the epoch) a server said
 * it expired it. The leader logs the line when its session tracker gives up on the session, before
 * the session's ephemeral nodes are deleted.
 */
export const sessionExpiries = (logText: string): Map<string, number> => {
  const expiries = new Map<string, number>();
  for (const line of logText.split('\n')) {
    const m = EXPIRY.exec(line);
    if (m === null) continue;
    const [y, mo, d, h, mi, s, ms] = m.slice(1, 8).map(Number) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    const wall = new Date(y, mo - 1, d, h, mi, s, ms).getTime();
    const id = normalizeSessionId(m[8]!);
    expiries.set(id, Math.min(wall, expiries.get(id) ?? Infinity));
  }
  return expiries;
};
