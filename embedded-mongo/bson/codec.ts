/**
 * The single bson instance used for every server-side (de)serialization.
 *
 * Why one instance: equality and ordering code recognises BSON values by `_bsontype`, but some
 * libraries (mingo) compare by constructor. Deserializing everything through this module keeps
 * every ObjectId/Long/Decimal128 the server holds from the same class.
 *
 * Options: Longs stay `Long` (promoteLongs:false) so an int64 written by a client is returned as
 * an int64; int32 and double become JS numbers (the wire type of an integral double is lost —
 * documented divergence). Regular expressions become JS RegExp so they can be executed.
 */
import * as BSON from 'bson';

export { BSON };
export const { ObjectId, Long, Decimal128, Binary, Timestamp, UUID, MinKey, MaxKey, Int32, Double, BSONRegExp, Code } = BSON;

export type ObjectId = BSON.ObjectId;
export type Long = BSON.Long;
export type Decimal128 = BSON.Decimal128;
export type Binary = BSON.Binary;
export type Timestamp = BSON.Timestamp;
export type UUID = BSON.UUID;

export type Doc = Record<string, any>;

const DESERIALIZE_OPTS: BSON.DeserializeOptions = {
  promoteLongs: false,
  promoteValues: false,
  promoteBuffers: false,
  bsonRegExp: false,
  useBigInt64: false,
};

/**
 * Deserialize one BSON document from `buf` (whole buffer or a slice).
 *
 * Numbers: int32 and non-integral doubles become JS numbers; an integral double (7.0, or a
 * timestamp beyond int32) stays a `Double` so it is stored, queried ($type) and returned as a
 * double, like MongoDB does. Everything that reads numbers goes through bracket()/toNumber().
 */
export function deserialize(buf: Uint8Array): Doc {
  const d = BSON.deserialize(buf, DESERIALIZE_OPTS) as Doc;
  normalizeNumbers(d);
  return d;
}

function normalizeValue(v: any): any {
  if (v === null || typeof v !== 'object') return v;
  const t = v._bsontype;
  if (t === undefined) {
    normalizeNumbers(v);
    return v;
  }
  if (t === 'Int32') return v.value;
  if (t === 'Double') return Number.isInteger(v.value) ? v : v.value;
  return v;
}

function normalizeNumbers(o: any): void {
  if (Array.isArray(o)) {
    for (let i = 0; i < o.length; i++) {
      const v = o[i];
      if (v !== null && typeof v === 'object') o[i] = normalizeValue(v);
    }
    return;
  }
  if (o instanceof Date || o instanceof RegExp) return;
  for (const k in o) {
    const v = o[k];
    if (v !== null && typeof v === 'object') o[k] = normalizeValue(v);
  }
}

// `undefined` only arises server-side from expressions meaning "missing" (BSON undefined is
// deserialized as null), so it is dropped like MongoDB drops missing computed fields.
const SERIALIZE_OPTS: BSON.SerializeOptions = { checkKeys: false, ignoreUndefined: true };

export function serialize(doc: Doc): Buffer {
  const out = BSON.serialize(doc, SERIALIZE_OPTS);
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

export function bsonSize(doc: Doc): number {
  return BSON.calculateObjectSize(doc, SERIALIZE_OPTS);
}

/** A value is a "plain document" if it is a non-null object that is not an array and not a BSON/JS value type. */
export function isPlainDoc(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return false;
  if ((v as any)._bsontype !== undefined) return false; // ObjectId, Long, DBRef...
  if (v instanceof Date || v instanceof RegExp || ArrayBuffer.isView(v)) return false;
  return true;
}

/**
 * Deep copy of documents and arrays. BSON value objects (ObjectId, Long, Binary...) and Dates
 * are shared: the server never mutates them.
 */
export function cloneDeep<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = cloneDeep(v[i]);
    return out as any;
  }
  if (!isPlainDoc(v)) return v;
  const out: Doc = {};
  for (const k of Object.keys(v as Doc)) out[k] = cloneDeep((v as Doc)[k]);
  return out as T;
}

/** Converts int32/int64/double-ish values to a JS number (used for command arguments). */
export function isDoubleObj(v: unknown): boolean {
  return !!v && typeof v === 'object' && (v as any)._bsontype === 'Double';
}

export function toNumber(v: unknown, dflt = 0): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v && typeof v === 'object') {
    const t = (v as any)._bsontype;
    if (t === 'Long') return (v as BSON.Long).toNumber();
    if (t === 'Int32' || t === 'Double') return (v as any).value;
    if (t === 'Decimal128') return Number((v as any).toString());
  }
  return dflt;
}

export function isNumeric(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'bigint') return true;
  if (v && typeof v === 'object') {
    const t = (v as any)._bsontype;
    return t === 'Long' || t === 'Decimal128' || t === 'Int32' || t === 'Double';
  }
  return false;
}

export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false) return false;
  if (isNumeric(v)) {
    const n = toNumber(v);
    return n !== 0 && !Number.isNaN(n);
  }
  return true;
}
