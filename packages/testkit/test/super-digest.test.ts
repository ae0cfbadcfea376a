import zookeeper from '@zk-lock/node-zookeeper-client';
import { expect, it } from 'vitest';
import { connectRaw, digest, startZooKeeper } from '@zk-lock/testkit';

const getData = (client: zookeeper.Client, path: string): Promise<string> =>
  new Promise((resolve, reject) =>
    client.getData(path, (error, data) => (error ? reject(error) : resolve(data.toString()))),
  );

/** ZooKeeper's CREATOR_ALL_ACL (the typings lack the constant): all rights to the creating identity. */
const creatorOnly = [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('auth', ''))];

it('superDigest makes a superuser that passes every ACL', async () => {
  const zk = await startZooKeeper({ superDigest: digest('super', 'secret') });
  const owner = await connectRaw(zk.connectString);
  const outsider = await connectRaw(zk.connectString);
  const superuser = await connectRaw(zk.connectString);
  try {
    owner.addAuthInfo('digest', Buffer.from('owner:pw'));
    superuser.addAuthInfo('digest', Buffer.from('super:secret'));
    await new Promise((resolve, reject) =>
      owner.create('/private', Buffer.from('mine'), creatorOnly, (error) =>
        error ? reject(error) : resolve(undefined),
      ),
    );
    await expect(getData(outsider, '/private')).rejects.toThrow(/NO_AUTH/);
    expect(await getData(superuser, '/private')).toBe('mine');
  } finally {
    for (const client of [owner, outsider, superuser]) client.close();
    await zk.close();
  }
});
