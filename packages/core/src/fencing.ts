/**
 * The fencing token of a held lock: `parentCzxid << 32 | sequence`, costing no extra request (the
 * children listing that decides "held" already returns the parent's stat).
 *
 * Why it grows strictly in acquisition order per lock path:
 * - Within one incarnation of the parent node, the parent's czxid is fixed and the sequence
 *   numbers ZooKeeper hands out to its children only grow; holders acquire in sequence order (a
 *   node holds only after every node ahead of it that held has left), so later holders have larger
 *   sequences. The sequence is a signed 32-bit counter in ZooKeeper, so it fits the low 32 bits.
 * - If the parent is deleted and recreated, its sequence counter restarts at 0, but the new parent
 *   has a larger czxid (zxids grow monotonically across the ensemble's whole history, leader changes
 *   included), so every token of the new incarnation exceeds every token of the old one.
 * zk-lock 2.x peers create nodes too; they are in the same sequence, so tokens stay ordered.
 */
export const fencingToken = (parentCzxid: bigint, sequence: number): bigint =>
  (parentCzxid << 32n) | (BigInt(sequence) & 0xffffffffn);
