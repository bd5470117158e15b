/** Values printed as the server prints them in error messages (E11000 keys, update errors). */
import { isPlainDoc } from './codec.js';

export function formatValue(v: any): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v?._bsontype === 'Double' || v?._bsontype === 'Int32') return String(v.value);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  switch (v._bsontype) {
    case 'ObjectId': return `ObjectId('${v.toHexString()}')`;
    case 'Long': return v.toString();
    case 'Decimal128': return `Decimal128("${v.toString()}")`;
    case 'Binary': return `BinData(${v.sub_type}, ${Buffer.from(v.buffer.subarray(0, v.position)).toString('hex').toUpperCase()})`;
    case 'Timestamp': return `Timestamp(${v.high >>> 0}, ${v.low >>> 0})`;
  }
  if (v instanceof RegExp) return `/${v.source}/${v.flags}`;
  if (isPlainDoc(v)) return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${formatValue(x)}`).join(', ')} }`;
  return String(v);
}
