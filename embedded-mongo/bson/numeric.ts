/**
 * Arithmetic across BSON numeric types, used by $inc/$mul and the $sum accumulator.
 * Result type follows MongoDB: any Decimal128 -> Decimal128; Long with an integral operand ->
 * Long (double on overflow); otherwise a JS number (int32 and double are both JS numbers here).
 */
import { Decimal128, Double, Long, isDoubleObj, toNumber } from './codec.js';
import { toExact } from './order.js';

const LONG_MIN = -(2n ** 63n), LONG_MAX = 2n ** 63n - 1n;

function isDecimal(v: any) { return v?._bsontype === 'Decimal128'; }
function isLong(v: any) { return v?._bsontype === 'Long' || typeof v === 'bigint'; }

function exactToDecimal(n: bigint, d: bigint): any {
  // d is a product of powers of 2 and 10: scale to a power of ten.
  let scale = 0n;
  let den = d;
  while (den % 10n === 0n) { den /= 10n; scale++; }
  let twos = 0n;
  while (den % 2n === 0n) { den /= 2n; twos++; }
  while (den % 5n === 0n) { den /= 5n; n *= 2n; scale++; }
  if (den !== 1n) return Decimal128.fromStringWithRounding(String(Number(n) / Number(d)));
  n *= 5n ** twos;
  scale += twos;
  const neg = n < 0n;
  let digits = (neg ? -n : n).toString();
  if (scale > 0n) {
    const s = Number(scale);
    if (digits.length <= s) digits = '0'.repeat(s - digits.length + 1) + digits;
    digits = digits.slice(0, digits.length - s) + '.' + digits.slice(digits.length - s);
  }
  return Decimal128.fromStringWithRounding((neg ? '-' : '') + digits);
}

function decimalOp(a: any, b: any, op: 'add' | 'mul'): any {
  const x = toExact(a), y = toExact(b);
  if (x.k !== 'q' || y.k !== 'q') {
    const r = op === 'add' ? toNumber(a) + toNumber(b) : toNumber(a) * toNumber(b);
    return Decimal128.fromString(Number.isNaN(r) ? 'NaN' : r === Infinity ? 'Infinity' : r === -Infinity ? '-Infinity' : String(r));
  }
  if (op === 'add') return exactToDecimal(x.n * y.d + y.n * x.d, x.d * y.d);
  return exactToDecimal(x.n * y.n, x.d * y.d);
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

export function addNumbers(a: any, b: any): any {
  if (typeof a === 'number' && typeof b === 'number') return asDouble(a + b, a, b);
  if (isDecimal(a) || isDecimal(b)) return decimalOp(a, b, 'add');
  if (isLong(a) || isLong(b)) return longOp(a, b, 'add');
  return asDouble(toNumber(a) + toNumber(b), a, b);
}

export function mulNumbers(a: any, b: any): any {
  if (typeof a === 'number' && typeof b === 'number') return asDouble(a * b, a, b);
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
