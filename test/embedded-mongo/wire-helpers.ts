/** Hand-built MongoDB wire frames over a raw socket, for protocol-level tests. */
import net from 'node:net';
import * as BSON from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;

let nextId = 1000;
export const newRequestId = () => nextId++;

export function opQuery(requestId: number, ns: string, doc: BSON.Document): Buffer {
  const nsBuf = Buffer.from(ns + '\0', 'utf8');
  const body = Buffer.from(BSON.serialize(doc));
  const head = Buffer.alloc(16 + 4);
  const tail = Buffer.alloc(8);
  tail.writeInt32LE(0, 0); // numberToSkip
  tail.writeInt32LE(-1, 4); // numberToReturn
  const len = 20 + nsBuf.length + 8 + body.length;
  head.writeInt32LE(len, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(0, 8);
  head.writeInt32LE(OP_QUERY, 12);
  head.writeInt32LE(0, 16); // flags
  return Buffer.concat([head, nsBuf, tail, body]);
}

export type Section = { kind: 0; doc: BSON.Document } | { kind: 1; id: string; docs: BSON.Document[] };

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

export function crc32c(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC32C_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function opMsg(requestId: number, sections: Section[], flags = 0): Buffer {
  const parts: Buffer[] = [];
  for (const s of sections) {
    if (s.kind === 0) parts.push(Buffer.from([0]), Buffer.from(BSON.serialize(s.doc)));
    else {
      const docs = s.docs.map((d) => Buffer.from(BSON.serialize(d)));
      const id = Buffer.from(s.id + '\0', 'utf8');
      const size = Buffer.alloc(4);
      size.writeInt32LE(4 + id.length + docs.reduce((n, d) => n + d.length, 0), 0);
      parts.push(Buffer.from([1]), size, id, ...docs);
    }
  }
  const checksum = (flags & 1) !== 0;
  const head = Buffer.alloc(20);
  const bodyLen = parts.reduce((n, p) => n + p.length, 0);
  const len = 20 + bodyLen + (checksum ? 4 : 0);
  head.writeInt32LE(len, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(0, 8);
  head.writeInt32LE(OP_MSG, 12);
  head.writeUInt32LE(flags, 16);
  const msg = Buffer.concat([head, ...parts]);
  if (!checksum) return msg;
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32c(msg), 0);
  return Buffer.concat([msg, crc]);
}

export interface Frame { length: number; requestId: number; responseTo: number; opCode: number; raw: Buffer }

/** A socket that collects complete frames. */
export class WireClient {
  socket: net.Socket;
  private buf = Buffer.alloc(0);
  private frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      while (this.buf.length >= 4) {
        const len = this.buf.readInt32LE(0);
        if (this.buf.length < len) break;
        const raw = this.buf.subarray(0, len);
        this.buf = this.buf.subarray(len);
        this.frames.push({ length: len, requestId: raw.readInt32LE(4), responseTo: raw.readInt32LE(8), opCode: raw.readInt32LE(12), raw });
      }
      this.wake();
    });
    socket.on('close', () => { this.closed = true; this.wake(); });
    socket.on('error', () => { this.closed = true; this.wake(); });
  }

  static connect(port: number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new WireClient(s)));
      s.once('error', reject);
    });
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(b: Buffer): void {
    this.socket.write(b);
  }

  /** Next frame, or undefined if none arrives within `ms` (or the socket closed). */
  async next(ms = 2000): Promise<Frame | undefined> {
    const deadline = Date.now() + ms;
    while (this.frames.length === 0 && !this.closed) {
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
    return this.frames.shift();
  }

  /** Resolves true once the server closed the socket (within ms). */
  async waitClosed(ms = 2000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Body of an OP_MSG reply (kind-0 section), Longs kept as Long. */
export function msgBody(f: Frame): BSON.Document {
  if (f.opCode !== OP_MSG) throw new Error(`expected OP_MSG, got opCode ${f.opCode}`);
  if (f.raw[20] !== 0) throw new Error('expected a kind-0 section');
  const size = f.raw.readInt32LE(21);
  return BSON.deserialize(f.raw.subarray(21, 21 + size), { promoteLongs: false });
}

export function replyDoc(f: Frame): { flags: number; cursorId: bigint; numberReturned: number; doc: BSON.Document } {
  if (f.opCode !== OP_REPLY) throw new Error(`expected OP_REPLY, got opCode ${f.opCode}`);
  const size = f.raw.readInt32LE(36);
  return {
    flags: f.raw.readInt32LE(16),
    cursorId: f.raw.readBigInt64LE(20),
    numberReturned: f.raw.readInt32LE(32),
    doc: BSON.deserialize(f.raw.subarray(36, 36 + size), { promoteLongs: false }),
  };
}

/** Sends one OP_MSG command and returns the reply body. */
export async function command(c: WireClient, doc: BSON.Document, db = 'wiretest'): Promise<BSON.Document> {
  const id = newRequestId();
  c.write(opMsg(id, [{ kind: 0, doc: { ...doc, $db: db } }]));
  const f = await c.next();
  if (!f) throw new Error('no reply');
  if (f.responseTo !== id) throw new Error(`responseTo ${f.responseTo} != ${id}`);
  return msgBody(f);
}
