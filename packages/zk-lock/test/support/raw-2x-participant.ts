import zookeeper from '@zk-lock/node-zookeeper-client';

/**
 * A lock participant written against plain node-zookeeper-client that follows the zk-lock 2.x
 * wire protocol, as an old process of a mixed fleet would: `mkdirp` the parent, create an
 * ephemeral sequential `lock-` child with data `lock`, and hold once its sequence is the lowest
 * among the `lock-` children, re-listing (with a child watch) on every change.
 */
export interface Raw2xParticipant {
  /** Its node name, `lock-<sequence>`. */
  readonly node: string;
  /** Resolves once it holds the lock. */
  readonly acquired: Promise<void>;
  /** What its first look at the children decided. */
  readonly firstDecision: Promise<'holds' | 'waits'>;
  readonly holds: () => boolean;
  readonly unlock: () => Promise<void>;
}

const callback =
  <A>(resolve: (value: A) => void, reject: (error: unknown) => void) =>
  (error: unknown, value: A): void =>
    error ? reject(error) : resolve(value);

export const enqueue2x = async (client: zookeeper.Client, parent: string): Promise<Raw2xParticipant> => {
  await new Promise<string>((resolve, reject) => client.mkdirp(parent, callback(resolve, reject)));
  const path = await new Promise<string>((resolve, reject) =>
    client.create(
      `${parent}/lock-`,
      Buffer.from('lock'),
      zookeeper.CreateMode.EPHEMERAL_SEQUENTIAL,
      callback(resolve, reject),
    ),
  );
  const node = path.slice(parent.length + 1);
  const sequence = (name: string): number => parseInt(name.replace('lock-', ''), 10);
  let holding = false;
  let decided: (decision: 'holds' | 'waits') => void = () => undefined;
  const firstDecision = new Promise<'holds' | 'waits'>((resolve) => {
    decided = resolve;
  });
  const acquired = new Promise<void>((resolve, reject) => {
    const check = (): void =>
      client.getChildren(
        parent,
        () => {
          if (!holding) check();
        },
        (error, children) => {
          if (error) return reject(error);
          const sequences = children
            .filter((c) => c.startsWith('lock-'))
            .map(sequence)
            .sort((a, b) => a - b);
          if (sequence(node) <= (sequences[0] ?? -1)) {
            holding = true;
            decided('holds');
            resolve();
          } else {
            decided('waits');
          }
        },
      );
    check();
  });
  return {
    node,
    acquired,
    firstDecision,
    holds: () => holding,
    unlock: () =>
      new Promise<void>((resolve, reject) =>
        client.remove(path, (error) => {
          holding = false;
          if (error) reject(error);
          else resolve();
        }),
      ),
  };
};
