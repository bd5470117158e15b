/**
 * Hand-assembled BSON for cursor replies. Each result document is serialized exactly once and its
 * size is known, so batches can be cut at 16 MB without a second sizing pass, and the reply is a
 * concatenation of buffers rather than a re-serialization of every document.
 */
import type { Doc } from '../bson/codec.js';
import { serialize } from '../bson/codec.js';
import type { BSON } from '../bson/codec.js';

/** Elements (without the int32 length and trailing 0) of a serialized document. */
function elements(doc: Doc): Buffer {
  const b = serialize(doc);
  return b.subarray(4, b.length - 1);
}

/** A serialized document with `fields` added at its end (a reply assembled as a buffer). */
export function appendFields(doc: Buffer, fields: Doc): Buffer {
  const extra = elements(fields);
  const out = Buffer.allocUnsafe(doc.length + extra.length);
  doc.copy(out, 0, 0, doc.length - 1);
  extra.copy(out, doc.length - 1);
  out[out.length - 1] = 0;
  out.writeInt32LE(out.length, 0);
  return out;
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

const T_DOC = 0x03, T_ARRAY = 0x04, T_STRING = 0x02, T_INT64 = 0x12, T_DOUBLE = 0x01;
const K_CURSOR = Buffer.from('cursor\0');
const K_FIRST = Buffer.from('firstBatch\0');
const K_NEXT = Buffer.from('nextBatch\0');
const K_ID = Buffer.from('id\0');
const K_NS = Buffer.from('ns\0');
const K_OK = Buffer.from('ok\0');

/**
 * `{cursor: {firstBatch|nextBatch: [docs], id: Long, ns, ...cursorExtra}, ...topExtra, ok: 1}`
 * written into one buffer.
 */
export function cursorReply(batchField: 'firstBatch' | 'nextBatch', docs: Buffer[], id: BSON.Long, ns: string, cursorExtra?: Doc, topExtra?: Doc): Buffer {
  const keys = docs.length > 0 ? docs.map((_, i) => indexKey(i)) : [];
  let arrayLen = 5;
  for (let i = 0; i < docs.length; i++) arrayLen += keys[i].length + docs[i].length;
  const nsLen = Buffer.byteLength(ns, 'utf8');
  const cExtra = cursorExtra ? elements(cursorExtra) : undefined;
  const tExtra = topExtra ? elements(topExtra) : undefined;
  const batchKey = batchField === 'firstBatch' ? K_FIRST : K_NEXT;
  const cursorLen = 4 + 1 + batchKey.length + arrayLen + 1 + K_ID.length + 8 + 1 + K_NS.length + 4 + nsLen + 1 + (cExtra?.length ?? 0) + 1;
  const total = 4 + 1 + K_CURSOR.length + cursorLen + (tExtra?.length ?? 0) + 1 + K_OK.length + 8 + 1;
  const out = Buffer.allocUnsafe(total);
  let o = 0;
  out.writeInt32LE(total, o); o += 4;
  out[o++] = T_DOC; o += K_CURSOR.copy(out, o);
  out.writeInt32LE(cursorLen, o); o += 4;
  out[o++] = T_ARRAY; o += batchKey.copy(out, o);
  out.writeInt32LE(arrayLen, o); o += 4;
  for (let i = 0; i < docs.length; i++) { o += keys[i].copy(out, o); o += docs[i].copy(out, o); }
  out[o++] = 0;
  out[o++] = T_INT64; o += K_ID.copy(out, o);
  out.writeInt32LE(id.low, o); out.writeInt32LE(id.high, o + 4); o += 8;
  out[o++] = T_STRING; o += K_NS.copy(out, o);
  out.writeInt32LE(nsLen + 1, o); o += 4;
  o += out.write(ns, o, 'utf8');
  out[o++] = 0;
  if (cExtra) o += cExtra.copy(out, o);
  out[o++] = 0; // end of cursor
  if (tExtra) o += tExtra.copy(out, o);
  out[o++] = T_DOUBLE; o += K_OK.copy(out, o);
  out.writeDoubleLE(1, o); o += 8;
  out[o++] = 0;
  return out;
}
