/**
 * Arithmetic across BSON numeric types, used by $inc/$mul and the $sum accumulator.
 * Result type follows MongoDB: any Decimal128 -> Decimal128; Long with an integral operand ->
 * Long (double on overflow); otherwise a JS number (int32 and double are both JS numbers here).
 */
import { Decimal128, Double, Long, isDoubleObj, toNumber } from './codec.js';
import { decimalParts } from './order.js';

const LONG_MIN = -(2n ** 63n), LONG_MAX = 2n ** 63n - 1n;

function isDecimal(v: any) { return v?._bsontype === 'Decimal128'; }
function isLong(v: any) { return v?._bsontype === 'Long' || typeof v === 'bigint'; }

/** A decimal as coefficient x 10^exponent, the way IEEE 754 decimal arithmetic keeps it. */
interface Dec { c: bigint; e: number }

function toDec(v: any): Dec | undefined {
  let s: string;
  if (v?._bsontype === 'Decimal128') s = v.toString();
  else if (isLong(v)) return { c: bigOf(v), e: 0 };
  else {
    const n = toNumber(v);
    if (!Number.isFinite(n)) return undefined;
    // MongoDB converts a double to decimal with 15 significant digits.
    s = Number.isInteger(n) && Math.abs(n) < 1e15 ? String(n) : n.toPrecision(15);
  }
  return decimalParts(s);
}

function decimalOp(a: any, b: any, op: 'add' | 'mul'): any {
  const x = toDec(a), y = toDec(b);
  if (!x || !y) {
    const r = op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b);
    return Decimal128.fromString(Number.isNaN(r) ? 'NaN' : r === Infinity ? 'Infinity' : r === -Infinity ? '-Infinity' : String(r));
  }
  let c: bigint, e: number;
  if (op === 'mul') { c = x.c * y.c; e = x.e + y.e; } else {
    e = Math.min(x.e, y.e);
    c = x.c * 10n ** BigInt(x.e - e) + y.c * 10n ** BigInt(y.e - e);
  }
  return Decimal128.fromStringWithRounding(`${c}E${e}`);
}

function bigOf(v: any): bigint { return typeof v === 'bigint' ? v : BigInt(v.toString()); }

function longOp(a: any, b: any, op: 'add' | 'mul'): any {
  const bothIntegral = (isLong(a) || (typeof a === 'number' && Number.isInteger(a))) && (isLong(b) || (typeof b === 'number' && Number.isInteger(b)));
  if (!bothIntegral) return op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b);
  const x = isLong(a) ? bigOf(a) : BigInt(a), y = isLong(b) ? bigOf(b) : BigInt(b);
  const r = op === 'add' ? x + y : x * y;
  if (r < LONG_MIN || r > LONG_MAX) return Number(r);
  return Long.fromBigInt(r);
}

/** A double result keeps its type even when integral (7.0 + 1 = 8.0). */
function asDouble(r: number, a: any, b: any): any {
  const dbl = isDoubleObj(a) || isDoubleObj(b) || (typeof a === 'number' && !Number.isInteger(a)) || (typeof b === 'number' && !Number.isInteger(b));
  return dbl && Number.isInteger(r) ? new Double(r) : r;
}

const isInt32 = (n: number) => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;

/** int32 op int32 that leaves the int32 range becomes an int64, like MongoDB. */
function int32Result(r: number, a: number, b: number, op: 'add' | 'mul'): any {
  if (isInt32(r) || !isInt32(a) || !isInt32(b)) return r;
  return Long.fromBigInt(op === 'add' ? BigInt(a) + BigInt(b) : BigInt(a) * BigInt(b));
}

export function addNumbers(a: any, b: any): any {
  if (typeof a === 'number' && typeof b === 'number') return int32Result(asDouble(a + b, a, b), a, b, 'add');
  if (isDecimal(a) || isDecimal(b)) return decimalOp(a, b, 'add');
  if (isLong(a) || isLong(b)) return longOp(a, b, 'add');
  return asDouble(toNumber(a) + toNumber(b), a, b);
}

export function mulNumbers(a: any, b: any): any {
  if (typeof a === 'number' && typeof b === 'number') return int32Result(asDouble(a * b, a, b), a, b, 'mul');
  if (isDecimal(a) || isDecimal(b)) return decimalOp(a, b, 'mul');
  if (isLong(a) || isLong(b)) return longOp(a, b, 'mul');
  return asDouble(toNumber(a) * toNumber(b), a, b);
}

/** Zero of the same numeric type as `v` ($mul on a missing field). */
export function zeroLike(v: any): any {
  if (isDecimal(v)) return Decimal128.fromString('0');
  if (isLong(v)) return Long.ZERO;
  return 0;
}
