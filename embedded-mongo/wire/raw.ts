/**
 * Hand-assembled BSON for cursor replies. Each result document is serialized exactly once and its
 * size is known, so batches can be cut at 16 MB without a second sizing pass, and the reply is a
 * concatenation of buffers rather than a re-serialization of every document.
 */
import type { Doc } from '../bson/codec.js';
import { serialize } from '../bson/codec.js';
import type { BSON } from '../bson/codec.js';

function cstr(s: string): Buffer {
  return Buffer.from(s + '\0', 'utf8');
}

/** Elements (without the int32 length and trailing 0) of a serialized document. */
function elements(doc: Doc): Buffer {
  const b = serialize(doc);
  return b.subarray(4, b.length - 1);
}

function wrap(parts: Buffer[]): Buffer {
  let len = 5;
  for (const p of parts) len += p.length;
  const head = Buffer.allocUnsafe(4);
  head.writeInt32LE(len, 0);
  return Buffer.concat([head, ...parts, Buffer.from([0])], len);
}

const indexKeys: Buffer[] = [];
function indexKey(i: number): Buffer {
  let k = indexKeys[i];
  if (!k) {
    k = Buffer.from('\u0003' + String(i) + '\0', 'latin1');
    if (i < 100000) indexKeys[i] = k;
  }
  return k;
}

/** A BSON array of already-serialized documents. */
export function rawArray(docs: Buffer[]): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < docs.length; i++) {
    parts.push(indexKey(i), docs[i]);
  }
  return wrap(parts);
}

export function cursorReply(batchField: 'firstBatch' | 'nextBatch', docs: Buffer[], id: BSON.Long, ns: string, cursorExtra?: Doc, topExtra?: Doc): Buffer {
  const idBuf = Buffer.allocUnsafe(8);
  idBuf.writeInt32LE(id.low, 0);
  idBuf.writeInt32LE(id.high, 4);
  const nsBytes = Buffer.from(ns, 'utf8');
  const nsLen = Buffer.allocUnsafe(4);
  nsLen.writeInt32LE(nsBytes.length + 1, 0);
  const cursorParts: Buffer[] = [
    Buffer.from([4]), cstr(batchField), rawArray(docs),
    Buffer.from([0x12]), cstr('id'), idBuf,
    Buffer.from([2]), cstr('ns'), nsLen, nsBytes, Buffer.from([0]),
  ];
  if (cursorExtra) cursorParts.push(elements(cursorExtra));
  const ok = Buffer.allocUnsafe(8);
  ok.writeDoubleLE(1, 0);
  const top: Buffer[] = [Buffer.from([3]), cstr('cursor'), wrap(cursorParts)];
  if (topExtra) top.push(elements(topExtra));
  top.push(Buffer.from([1]), cstr('ok'), ok);
  return wrap(top);
}
