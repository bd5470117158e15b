/**
 * The unified test format's matching rules (mongodb/specifications, unified-test-format.md,
 * "Evaluating Matches"): extra fields are allowed in documents except at the root of collection
 * contents, arrays match element by element, numbers compare by value whatever their BSON type,
 * and the special operators `$$exists`, `$$type`, `$$unsetOrMatches`, `$$matchesEntity`,
 * `$$matchesHexBytes`, `$$sessionLsid`, `$$lte`, `$$matchAsDocument`, `$$matchAsRoot`.
 */
import { EJSON } from 'bson';

export interface MatchContext {
  entity(id: string): unknown;
}

export class MatchError extends Error {}

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v as { _bsontype?: string })._bsontype && !(v instanceof Date) && !(v instanceof Uint8Array) && !(v instanceof RegExp);

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  const t = (v as { _bsontype?: string } | null)?._bsontype;
  if (t === 'Long' || t === 'Int32' || t === 'Double') return Number((v as { valueOf(): unknown; toNumber?: () => number }).toNumber?.() ?? (v as { valueOf(): number }).valueOf());
  if (t === 'Decimal128') return Number(String(v));
  return undefined;
}

function typeName(v: unknown): string[] {
  if (v === undefined) return ['undefined'];
  if (v === null) return ['null'];
  if (typeof v === 'string') return ['string'];
  if (typeof v === 'boolean') return ['bool'];
  if (typeof v === 'number') return Number.isInteger(v) ? ['int', 'long', 'double', 'number'] : ['double', 'number'];
  if (v instanceof Date) return ['date'];
  if (Array.isArray(v)) return ['array'];
  if (v instanceof RegExp) return ['regex'];
  const t = (v as { _bsontype?: string })._bsontype;
  switch (t) {
    case 'ObjectId': return ['objectId'];
    case 'Long': return ['long', 'number'];
    case 'Int32': return ['int', 'number'];
    case 'Double': return ['double', 'number'];
    case 'Decimal128': return ['decimal', 'number'];
    case 'Binary': case 'UUID': return ['binData'];
    case 'Timestamp': return ['timestamp'];
    case 'BSONRegExp': return ['regex'];
    case 'MinKey': return ['minKey'];
    case 'MaxKey': return ['maxKey'];
    case 'Code': return ['javascript'];
    default: return v instanceof Uint8Array ? ['binData'] : ['object'];
  }
}

function show(v: unknown): string {
  try {
    return EJSON.stringify(v as never, { relaxed: true });
  } catch {
    return String(v);
  }
}

/**
 * Throws MatchError naming the path of the first difference. `root` documents (collection
 * contents) must not carry extra fields; every other document may.
 */
export function assertMatches(expected: unknown, actual: unknown, ctx: MatchContext, path = '', root = false): void {
  // the driver keeps a command's sort as a Map (key order), and serializes it as a document
  if (actual instanceof Map) actual = Object.fromEntries(actual);
  if (isPlain(expected)) {
    const keys = Object.keys(expected);
    if (keys.length === 1 && keys[0].startsWith('$$')) return special(keys[0], expected[keys[0]], actual, ctx, path);
    if (!isPlain(actual)) throw new MatchError(`${path || '(root)'}: expected a document ${show(expected)}, got ${show(actual)}`);
    for (const k of keys) {
      const e = expected[k];
      const a = actual[k];
      if (isPlain(e) && Object.keys(e).length === 1) {
        const op = Object.keys(e)[0];
        if (op === '$$exists') {
          if ((a !== undefined) !== e[op]) throw new MatchError(`${path}.${k}: expected ${e[op] ? 'present' : 'absent'}, got ${show(a)}`);
          continue;
        }
        if (op === '$$unsetOrMatches') {
          if (a === undefined) continue;
          assertMatches(e[op], a, ctx, `${path}.${k}`);
          continue;
        }
      }
      if (a === undefined && !(k in actual)) throw new MatchError(`${path}.${k}: missing, expected ${show(e)}`);
      assertMatches(e, a, ctx, `${path}.${k}`);
    }
    if (root) {
      const extra = Object.keys(actual).filter((k) => !(k in expected));
      if (extra.length) throw new MatchError(`${path || '(root)'}: unexpected fields ${extra.join(', ')}`);
    }
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) throw new MatchError(`${path}: expected an array, got ${show(actual)}`);
    if (actual.length !== expected.length) throw new MatchError(`${path}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`);
    expected.forEach((e, i) => assertMatches(e, actual[i], ctx, `${path}[${i}]`, root));
    return;
  }
  const en = numeric(expected);
  if (en !== undefined) {
    const an = numeric(actual);
    if (an === undefined || an !== en) throw new MatchError(`${path}: expected ${show(expected)}, got ${show(actual)}`);
    return;
  }
  if (!sameValue(expected, actual)) throw new MatchError(`${path}: expected ${show(expected)}, got ${show(actual)}`);
}

function sameValue(e: unknown, a: unknown): boolean {
  if (e === a) return true;
  if (e === null || a === null || e === undefined || a === undefined) return false;
  if (e instanceof Date && a instanceof Date) return e.getTime() === a.getTime();
  const et = (e as { _bsontype?: string })._bsontype;
  if (et === 'Binary' || et === 'UUID') {
    const ab = a as { buffer?: Uint8Array };
    return Buffer.from((e as { buffer: Uint8Array }).buffer).equals(Buffer.from(ab.buffer ?? (a as Uint8Array)));
  }
  return show(e) === show(a);
}

function special(op: string, arg: unknown, actual: unknown, ctx: MatchContext, path: string): void {
  switch (op) {
    case '$$exists':
      if ((actual !== undefined) !== arg) throw new MatchError(`${path}: expected ${arg ? 'present' : 'absent'}`);
      return;
    case '$$type': {
      const wanted = Array.isArray(arg) ? (arg as string[]) : [arg as string];
      const have = typeName(actual);
      if (!wanted.some((w) => have.includes(w))) throw new MatchError(`${path}: expected type ${wanted.join('|')}, got ${have[0]} ${show(actual)}`);
      return;
    }
    case '$$unsetOrMatches':
      if (actual === undefined) return;
      return assertMatches(arg, actual, ctx, path);
    case '$$matchesEntity':
      return assertMatches(ctx.entity(arg as string), actual, ctx, path);
    case '$$matchesHexBytes': {
      const hex = Buffer.from((actual as { buffer?: Uint8Array })?.buffer ?? (actual as Uint8Array)).toString('hex');
      if (hex.toLowerCase() !== String(arg).toLowerCase()) throw new MatchError(`${path}: expected bytes ${String(arg)}, got ${hex}`);
      return;
    }
    case '$$sessionLsid': {
      const lsid = ctx.entity(`${arg as string}#lsid`);
      return assertMatches(lsid, actual, ctx, path);
    }
    case '$$lte': {
      const a = numeric(actual);
      if (a === undefined || a > (numeric(arg) ?? NaN)) throw new MatchError(`${path}: expected ≤ ${show(arg)}, got ${show(actual)}`);
      return;
    }
    case '$$matchAsDocument': {
      if (typeof actual !== 'string') throw new MatchError(`${path}: expected a JSON string`);
      return assertMatches(arg, EJSON.parse(actual, { relaxed: false }), ctx, path);
    }
    case '$$matchAsRoot':
      return assertMatches(arg, actual, ctx, path, true);
    default:
      throw new MatchError(`${path}: unsupported match operator ${op}`);
  }
}
