/**
 * MongoDB's total order over BSON values ("type brackets"), equality, and canonical hash keys.
 *
 * Bracket order (https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/):
 * MinKey < Null (null, undefined, missing) < Numbers (int, long, double, decimal) < Symbol/String
 * < Object < Array < BinData < ObjectId < Boolean < Date < Timestamp < RegExp < Code < MaxKey.
 *
 * Numbers of every width compare by exact value: mixing a double with a Long or Decimal128 falls
 * back to exact rational arithmetic on BigInt, so 2^60 as Long vs 2^60+1 as Long is right and
 * Decimal128("0.30") equals Decimal128("0.3").
 */
import type { Doc } from './codec.js';
import { isPlainDoc } from './codec.js';

/** Sentinel for a path that does not exist in a document (distinct from null). */
export const MISSING: unique symbol = Symbol('missing');
/** Index/sort key of an empty array: sorts after MinKey and before null, like MongoDB's `undefined` key. */
export const EMPTY_ARRAY_KEY: unique symbol = Symbol('emptyArray');

export const B_MINKEY = 1, B_EMPTY_ARRAY = 1.5, B_NULL = 2, B_NUMBER = 3, B_STRING = 4, B_OBJECT = 5, B_ARRAY = 6,
  B_BINARY = 7, B_OBJECTID = 8, B_BOOL = 9, B_DATE = 10, B_TIMESTAMP = 11, B_REGEX = 12,
  B_CODE = 13, B_MAXKEY = 100;

export function bracket(v: unknown): number {
  switch (typeof v) {
    case 'number': case 'bigint': return B_NUMBER;
    case 'string': return B_STRING;
    case 'boolean': return B_BOOL;
    case 'undefined': return B_NULL;
    case 'symbol': return v === EMPTY_ARRAY_KEY ? B_EMPTY_ARRAY : B_NULL; // MISSING
    case 'object': {
      if (v === null) return B_NULL;
      if (Array.isArray(v)) return B_ARRAY;
      const t = (v as any)._bsontype;
      if (t !== undefined) {
        switch (t) {
          case 'ObjectId': case 'ObjectID': return B_OBJECTID;
          case 'Long': case 'Int32': case 'Double': case 'Decimal128': return B_NUMBER;
          case 'Binary': return B_BINARY;
          case 'Timestamp': return B_TIMESTAMP;
          case 'MinKey': return B_MINKEY;
          case 'MaxKey': return B_MAXKEY;
          case 'BSONRegExp': return B_REGEX;
          case 'BSONSymbol': return B_STRING;
          case 'Code': return B_CODE;
          case 'DBRef': return B_OBJECT;
          default: return B_OBJECT;
        }
      }
      if (v instanceof Date) return B_DATE;
      if (v instanceof RegExp) return B_REGEX;
      if (ArrayBuffer.isView(v)) return B_BINARY;
      return B_OBJECT;
    }
    default: return B_OBJECT;
  }
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** Exact value of a numeric BSON value: NaN, +/-Infinity, or the rational n/d (d > 0). */
type Exact = { k: 'nan' } | { k: 'inf'; s: 1 | -1 } | { k: 'q'; n: bigint; d: bigint };

function doubleExact(x: number): Exact {
  if (Number.isNaN(x)) return { k: 'nan' };
  if (!Number.isFinite(x)) return { k: 'inf', s: x > 0 ? 1 : -1 };
  if (Number.isInteger(x)) return { k: 'q', n: BigInt(x), d: 1n };
  // Multiplying by 2 is exact for doubles; at most ~1074 steps for subnormals.
  let k = 0n;
  while (!Number.isInteger(x)) { x *= 2; k++; }
  return { k: 'q', n: BigInt(x), d: 1n << k };
}

const DEC_RE = /^(-)?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** A finite decimal string as coefficient x 10^exponent (undefined for NaN, Infinity, junk). */
export function decimalParts(s: string): { c: bigint; e: number } | undefined {
  const m = DEC_RE.exec(s);
  if (!m) return undefined;
  const frac = m[3] ?? '';
  let c = BigInt(m[2] + frac);
  if (m[1]) c = -c;
  return { c, e: Number(m[4] ?? 0) - frac.length };
}

export function decimalExact(s: string): Exact {
  if (s === 'NaN' || s === '-NaN') return { k: 'nan' };
  if (s === 'Infinity') return { k: 'inf', s: 1 };
  if (s === '-Infinity') return { k: 'inf', s: -1 };
  const p = decimalParts(s);
  if (!p) return { k: 'nan' };
  if (p.e >= 0) return { k: 'q', n: p.c * 10n ** BigInt(p.e), d: 1n };
  return { k: 'q', n: p.c, d: 10n ** BigInt(-p.e) };
}

export function toExact(v: any): Exact {
  if (typeof v === 'number') return doubleExact(v);
  if (typeof v === 'bigint') return { k: 'q', n: v, d: 1n };
  switch (v?._bsontype) {
    case 'Long': return { k: 'q', n: BigInt(v.toString()), d: 1n };
    case 'Int32': case 'Double': return doubleExact(v.value);
    case 'Decimal128': return decimalExact(v.toString());
  }
  return { k: 'nan' };
}

function cmpExact(a: Exact, b: Exact): number {
  if (a.k === 'nan') return b.k === 'nan' ? 0 : -1; // NaN sorts below every number
  if (b.k === 'nan') return 1;
  if (a.k === 'inf') return b.k === 'inf' ? Math.sign(a.s - b.s) : a.s;
  if (b.k === 'inf') return -b.s;
  const l = a.n * b.d, r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Fast JS number view of a numeric value when it is exact, else undefined. */
function fastNumber(v: any): number | undefined {
  if (typeof v === 'number') return v;
  const t = v?._bsontype;
  if (t === 'Int32' || t === 'Double') return v.value;
  if (t === 'Long') {
    // Long.high in the int32 range [-2^21, 2^21) means |value| < 2^53
    if (v.high >= -0x200000 && v.high < 0x200000) return v.toNumber();
  }
  return undefined;
}

export function compareNumbers(a: any, b: any): number {
  const x = fastNumber(a), y = fastNumber(b);
  if (x !== undefined && y !== undefined) {
    if (x < y) return -1;
    if (x > y) return 1;
    if (x === y) return 0;
    const xn = x !== x, yn = y !== y;
    return xn && yn ? 0 : xn ? -1 : 1;
  }
  return cmpExact(toExact(a), toExact(b));
}

// ---------------------------------------------------------------------------------------------
// Comparison

function cmpPrim(a: any, b: any): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return cmpPrim(a.length, b.length);
}

function binBytes(v: any): Uint8Array {
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return v.buffer instanceof Uint8Array ? v.buffer.subarray(0, v.position ?? v.buffer.length) : new Uint8Array(0);
}

/**
 * Total order over BSON values. `null`, `undefined` and MISSING are the same (null bracket).
 * Strings compare by UTF-16 code units (simple binary collation differs only for characters
 * beyond the BMP vs U+E000-U+FFFF).
 */
export function compareValues(a: any, b: any): number {
  if (a === b) return 0;
  const ta = typeof a, tb = typeof b;
  if (ta === 'string' && tb === 'string') return a < b ? -1 : 1;
  if (ta === 'number' && tb === 'number') {
    if (a < b) return -1;
    if (a > b) return 1;
    if (a === b) return 0;
    return compareNumbers(a, b);
  }
  if (ta === 'object' && tb === 'object' && a !== null && b !== null) {
    if (a instanceof Date && b instanceof Date) {
      const x = a.getTime(), y = b.getTime();
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
  const ba = bracket(a), bb = bracket(b);
  if (ba !== bb) return ba < bb ? -1 : 1;
  switch (ba) {
    case B_NULL: case B_MINKEY: case B_MAXKEY: case B_EMPTY_ARRAY: return 0;
    case B_NUMBER: return compareNumbers(a, b);
    case B_STRING: {
      const sa = typeof a === 'string' ? a : a.value, sb = typeof b === 'string' ? b : b.value;
      return cmpPrim(sa, sb);
    }
    case B_BOOL: return cmpPrim(a, b);
    case B_DATE: return cmpPrim(a.getTime(), b.getTime());
    case B_OBJECTID: return compareBytes(a.id, b.id);
    case B_TIMESTAMP: {
      const c = cmpPrim(a.high >>> 0, b.high >>> 0);
      return c !== 0 ? c : cmpPrim(a.low >>> 0, b.low >>> 0);
    }
    case B_BINARY: {
      const x = binBytes(a), y = binBytes(b);
      if (x.length !== y.length) return x.length < y.length ? -1 : 1;
      const sa = a.sub_type ?? 0, sb = b.sub_type ?? 0;
      if (sa !== sb) return sa < sb ? -1 : 1;
      return compareBytes(x, y);
    }
    case B_REGEX: {
      const c = cmpPrim(a.source ?? a.pattern, b.source ?? b.pattern);
      return c !== 0 ? c : cmpPrim(a.flags ?? a.options, b.flags ?? b.options);
    }
    case B_CODE: return cmpPrim(String(a.code), String(b.code));
    case B_ARRAY: {
      const n = Math.min(a.length, b.length);
      for (let i = 0; i < n; i++) {
        const c = compareValues(a[i], b[i]);
        if (c !== 0) return c;
      }
      return cmpPrim(a.length, b.length);
    }
    case B_OBJECT: return compareDocs(a, b);
  }
  return 0;
}

function docEntries(d: any): [string, any][] {
  if (d?._bsontype === 'DBRef') {
    const e: [string, any][] = [['$ref', d.collection], ['$id', d.oid]];
    if (d.db) e.push(['$db', d.db]);
    return e;
  }
  return Object.entries(d);
}

/** Documents compare element by element: value type bracket, then field name, then value. */
function compareDocs(a: Doc, b: Doc): number {
  const ea = docEntries(a), eb = docEntries(b);
  const n = Math.min(ea.length, eb.length);
  for (let i = 0; i < n; i++) {
    const [ka, va] = ea[i], [kb, vb] = eb[i];
    const ba = bracket(va), bb = bracket(vb);
    if (ba !== bb) return ba < bb ? -1 : 1;
    if (ka !== kb) return ka < kb ? -1 : 1;
    const c = compareValues(va, vb);
    if (c !== 0) return c;
  }
  return cmpPrim(ea.length, eb.length);
}

/** MongoDB equality: compareValues() == 0 (so 1 == 1.0 == NumberLong(1), null == undefined). */
export function valuesEqual(a: any, b: any): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === 'string' || ta === 'boolean') return false; // a !== b and same-typed compare done above
  if (ta === 'number' && typeof b === 'number') return a !== a && b !== b;
  return compareValues(a, b) === 0;
}

// ---------------------------------------------------------------------------------------------
// Canonical hash keys

function canonicalNumber(v: any): string {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return Number.isSafeInteger(v) ? String(v === 0 ? 0 : v) : BigInt(v).toString();
    if (v !== v) return 'NaN';
    return String(v);
  }
  const t = v?._bsontype;
  if (t === 'Int32' || t === 'Double') return canonicalNumber(v.value);
  if (t === 'Long') return v.toString();
  if (typeof v === 'bigint') return v.toString();
  if (t === 'Decimal128') {
    const e = decimalExact(v.toString());
    if (e.k === 'nan') return 'NaN';
    if (e.k === 'inf') return e.s > 0 ? 'Infinity' : '-Infinity';
    if (e.d === 1n) return e.n.toString();
    // Non-integral decimal: use the JS double text when it round-trips (so 0.5 == Decimal("0.50")).
    const asNum = Number(v.toString());
    const back = doubleExact(asNum);
    if (back.k === 'q' && back.n * e.d === e.n * back.d) return String(asNum);
    return 'D' + v.toString();
  }
  return String(v);
}

/**
 * A string that is equal for two values iff valuesEqual() says they are equal (modulo documented
 * Decimal128/double edge cases). Used as hash-index keys and for $in/distinct sets.
 */
export function keyString(v: any): string {
  switch (typeof v) {
    case 'string': return JSON.stringify(v);
    case 'number': return 'n' + canonicalNumber(v);
    case 'boolean': return v ? 'T' : 'F';
    case 'undefined': return 'z';
    case 'symbol': return v === EMPTY_ARRAY_KEY ? 'u' : 'z';
    case 'bigint': return 'n' + v.toString();
  }
  if (v === null) return 'z';
  if (Array.isArray(v)) {
    let s = '[';
    for (let i = 0; i < v.length; i++) s += (i ? ',' : '') + keyString(v[i]);
    return s + ']';
  }
  switch (bracket(v)) {
    case B_NUMBER: return 'n' + canonicalNumber(v);
    case B_OBJECTID: return 'o' + v.toHexString();
    case B_DATE: return 'd' + v.getTime();
    case B_STRING: return JSON.stringify(v.value);
    case B_BINARY: return 'b' + (v.sub_type ?? 0) + ':' + Buffer.from(binBytes(v)).toString('base64');
    case B_TIMESTAMP: return 't' + (v.high >>> 0) + ':' + (v.low >>> 0);
    case B_REGEX: return 'r' + JSON.stringify([v.source ?? v.pattern, v.flags ?? v.options]);
    case B_MINKEY: return 'm-';
    case B_MAXKEY: return 'm+';
    case B_CODE: return 'c' + JSON.stringify(String(v.code));
  }
  let s = '{';
  let first = true;
  for (const [k, val] of docEntries(v)) {
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + keyString(val);
    first = false;
  }
  return s + '}';
}

// ---------------------------------------------------------------------------------------------
// Type names for $type

export function typeNames(v: any): string[] {
  switch (typeof v) {
    case 'number':
      return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647 ? ['int', 'number'] : ['double', 'number'];
    case 'string': return ['string'];
    case 'boolean': return ['bool'];
    case 'undefined': return ['undefined'];
    case 'bigint': return ['long', 'number'];
  }
  if (v === null) return ['null'];
  if (Array.isArray(v)) return ['array'];
  switch (v._bsontype) {
    case 'ObjectId': case 'ObjectID': return ['objectId'];
    case 'Long': return ['long', 'number'];
    case 'Int32': return ['int', 'number'];
    case 'Double': return ['double', 'number'];
    case 'Decimal128': return ['decimal', 'number'];
    case 'Binary': return ['binData'];
    case 'Timestamp': return ['timestamp'];
    case 'MinKey': return ['minKey'];
    case 'MaxKey': return ['maxKey'];
    case 'BSONRegExp': return ['regex'];
    case 'BSONSymbol': return ['symbol'];
    case 'Code': return v.scope ? ['javascriptWithScope'] : ['javascript'];
    case 'DBRef': return ['object'];
  }
  if (v instanceof Date) return ['date'];
  if (v instanceof RegExp) return ['regex'];
  if (ArrayBuffer.isView(v)) return ['binData'];
  return ['object'];
}

export const TYPE_ALIASES: Record<number, string> = {
  1: 'double', 2: 'string', 3: 'object', 4: 'array', 5: 'binData', 6: 'undefined', 7: 'objectId',
  8: 'bool', 9: 'date', 10: 'null', 11: 'regex', 12: 'dbPointer', 13: 'javascript', 14: 'symbol',
  15: 'javascriptWithScope', 16: 'int', 17: 'timestamp', 18: 'long', 19: 'decimal', [-1]: 'minKey', 127: 'maxKey',
};

export { isPlainDoc };
