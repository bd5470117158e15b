/**
 * MongoDB wire protocol framing: message header, OP_MSG (sections kind 0 and 1, checksum,
 * moreToCome), legacy OP_QUERY (used by drivers for the initial hello) and OP_REPLY.
 */
import type { Doc } from '../bson/codec.js';
import { deserialize } from '../bson/codec.js';
import { MongoError } from '../errors.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_BSON_SIZE = 16 * 1024 * 1024;

export const FLAG_CHECKSUM = 1 << 0;
export const FLAG_MORE_TO_COME = 1 << 1;

export interface Header { length: number; requestId: number; responseTo: number; opCode: number }

export type Request =
  | { kind: 'msg'; header: Header; flags: number; body: Doc }
  | { kind: 'query'; header: Header; ns: string; body: Doc };

/** Thrown for frames that cannot be trusted any more: the connection is closed. */
export class ProtocolError extends Error {}

function readCString(buf: Buffer, offset: number, end: number): [string, number] {
  const z = buf.indexOf(0, offset);
  if (z < 0 || z >= end) throw new ProtocolError('unterminated cstring');
  return [buf.toString('utf8', offset, z), z + 1];
}

function readDoc(buf: Buffer, offset: number, end: number): [Doc, number] {
  if (offset + 5 > end) throw new MongoError(22, 'truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new MongoError(22, `invalid BSON document size ${size}`);
  if (size > MAX_BSON_SIZE + 16 * 1024) throw new MongoError(10334, `BSONObj size: ${size} is invalid`);
  let doc: Doc;
  try {
    doc = deserialize(buf.subarray(offset, offset + size));
  } catch (e) {
    throw new MongoError(22, `invalid BSON: ${(e as Error).message}`);
  }
  return [doc, offset + size];
}

export function parseHeader(buf: Buffer): Header {
  return { length: buf.readInt32LE(0), requestId: buf.readInt32LE(4), responseTo: buf.readInt32LE(8), opCode: buf.readInt32LE(12) };
}

/**
 * Parses one complete frame. Throws ProtocolError for framing problems (close the connection)
 * and MongoError for content problems (answer with an error).
 */
export function parseRequest(frame: Buffer): Request {
  const header = parseHeader(frame);
  const end = frame.length;
  if (header.opCode === OP_MSG) {
    if (end < 21) throw new ProtocolError('OP_MSG too short');
    const flags = frame.readUInt32LE(16);
    // Bits 0-15 are "required": an unknown one must make us fail the message.
    if (flags & 0xfffc) throw new MongoError(40, `Unrecognized flags in OP_MSG: ${flags}`);
    let bodyEnd = end;
    if (flags & FLAG_CHECKSUM) {
      // CRC-32C is optional to verify; we skip it (the transport is TCP on localhost).
      bodyEnd -= 4;
      if (bodyEnd < 21) throw new ProtocolError('OP_MSG too short for checksum');
    }
    let off = 20;
    let body: Doc | undefined;
    const sequences: [string, Doc[]][] = [];
    while (off < bodyEnd) {
      const kind = frame[off++];
      if (kind === 0) {
        if (body) throw new MongoError(40, 'Multiple body sections in OP_MSG');
        [body, off] = readDoc(frame, off, bodyEnd);
      } else if (kind === 1) {
        if (off + 4 > bodyEnd) throw new ProtocolError('truncated document sequence');
        const size = frame.readInt32LE(off);
        const secEnd = off + size;
        if (size < 5 || secEnd > bodyEnd) throw new ProtocolError('invalid document sequence size');
        const [id, start] = readCString(frame, off + 4, secEnd);
        let p = start;
        const docs: Doc[] = [];
        while (p < secEnd) {
          let d: Doc;
          [d, p] = readDoc(frame, p, secEnd);
          docs.push(d);
        }
        sequences.push([id, docs]);
        off = secEnd;
      } else {
        throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
      }
    }
    if (!body) throw new MongoError(40, 'OP_MSG has no body section');
    for (const [id, docs] of sequences) {
      if (Object.prototype.hasOwnProperty.call(body, id)) throw new MongoError(40, `Duplicate field ${id} in OP_MSG body and document sequence`);
      body[id] = docs;
    }
    return { kind: 'msg', header, flags, body };
  }
  if (header.opCode === OP_QUERY) {
    if (end < 29) throw new ProtocolError('OP_QUERY too short');
    const [ns, off] = readCString(frame, 20, end);
    const [body] = readDoc(frame, off + 8, end);
    return { kind: 'query', header, ns, body };
  }
  throw new ProtocolError(`unsupported opCode ${header.opCode}`);
}

let nextRequestId = 1;

function header(buf: Buffer, length: number, responseTo: number, opCode: number): void {
  buf.writeInt32LE(length, 0);
  buf.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  buf.writeInt32LE(responseTo, 8);
  buf.writeInt32LE(opCode, 12);
}

export function buildMsg(responseTo: number, body: Buffer, flags = 0): Buffer {
  const len = 16 + 4 + 1 + body.length;
  const out = Buffer.allocUnsafe(21);
  header(out, len, responseTo, OP_MSG);
  out.writeUInt32LE(flags, 16);
  out[20] = 0;
  return Buffer.concat([out, body], len);
}

export function buildReply(responseTo: number, doc: Buffer): Buffer {
  const len = 16 + 20 + doc.length;
  const out = Buffer.allocUnsafe(36);
  header(out, len, responseTo, OP_REPLY);
  out.writeInt32LE(0, 16); // responseFlags
  out.writeBigInt64LE(0n, 20); // cursorID
  out.writeInt32LE(0, 28); // startingFrom
  out.writeInt32LE(1, 32); // numberReturned
  return Buffer.concat([out, doc], len);
}
