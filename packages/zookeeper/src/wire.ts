import assert from 'node:assert';
import type { ReplyDecoder } from '@zk-lock/node-zookeeper-client';
import type { NodeStat } from './stat.js';

/**
 * The requests a lock sends and their replies in ZooKeeper's wire format (jute), each in one pass.
 * A request is a frame of length, request header and payload, as node-zookeeper-client's
 * `Request.toBuffer()` makes it; the xid is left 0, the client writes its own when the request
 * leaves (`queueEncoded`, `client-requests.ts`). The client's generic encoder walks a specification
 * per field, matching type names with regular expressions, behind its request methods; bypassing
 * both took W3's burst from 65.7 to 43.1 KB allocated per acquisition. Replies: see `ReplyDecoder`.
 */

/** Request types (ZooKeeper's `ZooDefs.OpCode`). */
export const OpCode = {
  create: 1,
  delete: 2,
  exists: 3,
  getData: 4,
  setData: 5,
  getChildren2: 12,
  /** A create of a CONTAINER node (ZooKeeper >= 3.5.3): create2's payload and reply. */
  createContainer: 19,
} as const;

export type OpCodeValue = (typeof OpCode)[keyof typeof OpCode];

/** The largest node data ZooKeeper accepts by default (jute.maxbuffer); the client checks it too. */
const DATA_SIZE_LIMIT = 1_048_576;

/** An ACL entry as node-zookeeper-client's `ACL` objects carry it. */
export interface WireAcl {
  readonly permission: number;
  readonly id: { readonly scheme: string; readonly id: string };
}

/**
 * The client's own path check (`lib/Path.js`), with its messages: a bad path fails before anything
 * is sent, as an assertion, which `failure.ts` reports as BAD_ARGUMENTS naming the path.
 */
const validatePath = (path: string): void => {
  assert(path && typeof path === 'string', 'Node path must be a non-empty string.');
  assert(path[0] === '/', 'Node path must start with / character.');
  if (path.length === 1) return;
  assert(path[path.length - 1] !== '/', 'Node path must not end with / character.');
  assert(!path.includes('//'), 'Node path must not contain empty node name.');
  assert(!/\/\.(\.)?(\/|$)/.test(path), 'Node path must not contain relative path(s).');
};

/** Writes a frame's bytes in order. */
class FrameWriter {
  readonly frame: Buffer;
  #offset = 0;

  /** `payloadLength`: the bytes after the request header. */
  constructor(type: OpCodeValue, payloadLength: number) {
    // The 4-byte length counts the header (xid, type) and the payload, not itself.
    this.frame = Buffer.allocUnsafe(4 + 8 + payloadLength);
    this.int(8 + payloadLength);
    this.int(0);
    this.int(type);
  }

  int(value: number): this {
    this.#offset = this.frame.writeInt32BE(value, this.#offset);
    return this;
  }

  bool(value: boolean): this {
    this.#offset = this.frame.writeUInt8(value ? 1 : 0, this.#offset);
    return this;
  }

  /** A ustring: its UTF-8 length, then the bytes (`byteLength` computed by the caller, once). */
  string(value: string, byteLength: number): this {
    this.int(byteLength);
    this.#offset += this.frame.write(value, this.#offset, byteLength, 'utf8');
    return this;
  }

  buffer(value: Buffer): this {
    return this.int(value.length).raw(value);
  }

  /** Bytes encoded already. */
  raw(value: Buffer): this {
    this.#offset += value.copy(this.frame, this.#offset);
    return this;
  }

  done(): Buffer {
    assert.equal(this.#offset, this.frame.length, 'frame length');
    return this.frame;
  }
}

/** `exists`, `getData` and `getChildren2`: a path and whether to leave a watch. */
export const encodePathRequest = (
  type: typeof OpCode.exists | typeof OpCode.getData | typeof OpCode.getChildren2,
  path: string,
  watch: boolean,
): Buffer => {
  validatePath(path);
  const pathLength = Buffer.byteLength(path);
  return new FrameWriter(type, 4 + pathLength + 1).string(path, pathLength).bool(watch).done();
};

/** `delete` of `path` at `version` (-1: any). */
export const encodeDelete = (path: string, version: number): Buffer => {
  validatePath(path);
  const pathLength = Buffer.byteLength(path);
  return new FrameWriter(OpCode.delete, 4 + pathLength + 4).string(path, pathLength).int(version).done();
};

/** `setData` of `path` with `data`, if the node is at `version` (-1: any). */
export const encodeSetData = (path: string, data: Buffer, version: number): Buffer => {
  validatePath(path);
  assert(data.length <= DATA_SIZE_LIMIT, `data must be equal of smaller than ${DATA_SIZE_LIMIT} bytes.`);
  const pathLength = Buffer.byteLength(path);
  return new FrameWriter(OpCode.setData, 4 + pathLength + 4 + data.length + 4)
    .string(path, pathLength)
    .buffer(data)
    .int(version)
    .done();
};

/** An ACL vector's bytes, per ACL array: a session creates with one of two constant arrays. */
const aclVectors = new WeakMap<ReadonlyArray<WireAcl>, Buffer>();

const int32 = (value: number): Buffer => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};

const ustring = (value: string): Buffer => {
  const bytes = Buffer.from(value, 'utf8');
  return Buffer.concat([int32(bytes.length), bytes]);
};

const aclVector = (acl: ReadonlyArray<WireAcl>): Buffer => {
  let bytes = aclVectors.get(acl);
  if (bytes === undefined) {
    const entries = acl.flatMap(({ permission, id }) => [
      int32(permission),
      ustring(id.scheme),
      ustring(id.id),
    ]);
    bytes = Buffer.concat([int32(acl.length), ...entries]);
    aclVectors.set(acl, bytes);
  }
  return bytes;
};

/**
 * The create mode's flags (ZooKeeper's `CreateMode`). CONTAINER is ZooKeeper's, not the client's:
 * node-zookeeper-client knows the first four only.
 */
export const CreateFlags = {
  persistent: 0,
  ephemeral: 1,
  persistentSequential: 2,
  ephemeralSequential: 3,
  container: 4,
} as const;

/**
 * `create` of `path` with `data`, `acl` and the create mode's `flags`; with the flags of CONTAINER
 * it is ZooKeeper's `createContainer` (opcode 19): create's payload either way. Its reply is
 * create2's, the path and then the node's Stat, which `decodeCreated` reads as far as the path.
 */
export const encodeCreate = (
  path: string,
  data: Buffer,
  acl: ReadonlyArray<WireAcl>,
  flags: number,
): Buffer => {
  validatePath(path);
  assert(data.length <= DATA_SIZE_LIMIT, `data must be equal of smaller than ${DATA_SIZE_LIMIT} bytes.`);
  assert(acl.length > 0, 'acls must be a non-empty array.');
  const pathLength = Buffer.byteLength(path);
  const acls = aclVector(acl);
  const type = flags === CreateFlags.container ? OpCode.createContainer : OpCode.create;
  return new FrameWriter(type, 4 + pathLength + 4 + data.length + acls.length + 4)
    .string(path, pathLength)
    .buffer(data)
    .raw(acls)
    .int(flags)
    .done();
};

/**
 * Replies to those requests, decoded in one pass from the reply's frame (`offset`: where the payload
 * starts, after length and reply header; the client's `queueEncoded` calls the decoder), straight
 * into the values a session hands out: the stat with its 8-byte fields as bigints and hex (the
 * client's decoder makes two 8-byte buffers per long field, twelve per stat, and walks the same
 * regular-expression specification as its encoder). The field names are the client's own
 * records' (`path`, `children`, `data`, `stat`).
 */
export type { ReplyDecoder };

/** Reads a frame's fields in order. */
class FrameReader {
  constructor(
    private readonly frame: Buffer,
    private offset: number,
  ) {}

  int(): number {
    const value = this.frame.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  long(): bigint {
    const value = this.frame.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  /** A signed long that fits a double: a time in ms. */
  time(): number {
    const value = Number(this.frame.readBigInt64BE(this.offset));
    this.offset += 8;
    return value;
  }

  hex(): string {
    const value = this.frame.toString('hex', this.offset, this.offset + 8);
    this.offset += 8;
    return value;
  }

  string(): string | undefined {
    const length = this.int();
    if (length < 0) return undefined;
    const value = this.frame.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A copy: a view would keep the whole socket chunk alive for as long as the data is. */
  buffer(): Buffer | undefined {
    const length = this.int();
    if (length < 0) return undefined;
    const value = Buffer.from(this.frame.subarray(this.offset, this.offset + length));
    this.offset += length;
    return value;
  }

  /** jute's `Stat`, field by field in its order. */
  stat(): NodeStat {
    const czxid = this.long();
    const mzxid = this.long();
    const ctime = this.time();
    const mtime = this.time();
    const version = this.int();
    const cversion = this.int();
    const aversion = this.int();
    const ephemeralOwner = this.hex();
    const dataLength = this.int();
    const numChildren = this.int();
    const pzxid = this.long();
    return {
      czxid,
      mzxid,
      pzxid,
      ctime,
      mtime,
      version,
      cversion,
      aversion,
      ephemeralOwner,
      dataLength,
      numChildren,
    };
  }
}

export const decodeCreated: ReplyDecoder<{ readonly path: string | undefined }> = (frame, offset) => ({
  path: new FrameReader(frame, offset).string(),
});

export const decodeChildren: ReplyDecoder<{ readonly children: string[]; readonly stat: NodeStat }> = (
  frame,
  offset,
) => {
  const reader = new FrameReader(frame, offset);
  const count = reader.int();
  const children: string[] = [];
  for (let i = 0; i < count; i++) children.push(reader.string() ?? '');
  return { children, stat: reader.stat() };
};

export const decodeData: ReplyDecoder<{ readonly data: Buffer | undefined; readonly stat: NodeStat }> = (
  frame,
  offset,
) => {
  const reader = new FrameReader(frame, offset);
  const data = reader.buffer();
  return { data, stat: reader.stat() };
};

export const decodeStat: ReplyDecoder<{ readonly stat: NodeStat }> = (frame, offset) => ({
  stat: new FrameReader(frame, offset).stat(),
});
