/**
 * MongoDB query matching, compiled once per query into closures.
 *
 * Why not mingo's Query: its comparisons go through `toString()`/constructor checks, so Decimal128
 * and Long compare wrongly, cross-type order is not MongoDB's, and there is no way to learn which
 * array element matched (needed by the positional `$` update/projection). Aggregation still uses
 * mingo, with its `$match` routed here (see mingo.ts).
 *
 * Array semantics: a path through an array of documents matches if any element matches; at the
 * leaf, most operators match the array itself or any of its elements. Negations ($ne, $nin, $not,
 * $exists:false) are the negation of the positive predicate over the whole path, as in MongoDB.
 */
import type { Doc } from '../bson/codec.js';
import { isPlainDoc, toNumber, truthy, isNumeric } from '../bson/codec.js';
import {
  MISSING, B_MAXKEY, B_MINKEY, B_NULL, bracket, keyString, typeNames, valuesEqual, TYPE_ALIASES,
} from '../bson/order.js';
import { MongoError, badValue } from '../errors.js';
import { hasOwn, isIndexPart, splitPath } from './path.js';
import { evalExpression, exprOptions } from './expressions.js';
import type { Collator } from './collation.js';
import { collatedCompare } from './collation.js';

/** Receives the position of the array element that satisfied the query (positional `$`). */
export interface MatchState { pos?: number }
export type Matcher = (doc: Doc, st?: MatchState) => boolean;
type Leaf = (v: any, st?: MatchState) => boolean;

export interface MatchOptions {
  /** `let` variables for $expr. */
  variables?: Doc;
  /** mingo ComputeOptions to evaluate $expr with (set when matching inside a pipeline). */
  exprOptions?: any;
  /** Query collation: string comparisons go through it. */
  collator?: Collator;
}

const ALWAYS: Matcher = () => true;
/** Names an object inherits (`constructor`, `toString`...): reading them needs an own-property test. */
const PROTO_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

export function compileFilter(filter: Doc | undefined | null, opts: MatchOptions = {}): Matcher {
  if (filter === undefined || filter === null) return ALWAYS;
  if (!isPlainDoc(filter)) throw badValue('filter must be an object');
  const preds: Matcher[] = [];
  for (const key of Object.keys(filter)) {
    const value = filter[key];
    if (key[0] === '$') preds.push(compileTopLevel(key, value, opts));
    else preds.push(compileField(key, value, opts));
  }
  return andAll(preds);
}

function andAll(preds: Matcher[]): Matcher {
  if (preds.length === 0) return ALWAYS;
  if (preds.length === 1) return preds[0];
  if (preds.length === 2) {
    const [a, b] = preds;
    return (d, st) => a(d, st) && b(d, st);
  }
  return (d, st) => {
    for (let i = 0; i < preds.length; i++) if (!preds[i](d, st)) return false;
    return true;
  };
}

function compileTopLevel(op: string, value: any, opts: MatchOptions): Matcher {
  switch (op) {
    case '$and': case '$or': case '$nor': {
      if (!Array.isArray(value) || value.length === 0) throw badValue(`${op} must be a nonempty array`);
      const subs = value.map((f: any) => {
        if (!isPlainDoc(f)) throw badValue(`$or/$and/$nor entries need to be full objects`);
        return compileFilter(f, opts);
      });
      if (op === '$and') return andAll(subs);
      if (op === '$or') return (d, st) => {
        for (const s of subs) if (s(d, st)) return true;
        return false;
      };
      return (d) => {
        for (const s of subs) if (s(d)) return false;
        return true;
      };
    }
    case '$expr': {
      const eo = opts.exprOptions ?? exprOptions({ variables: opts.variables });
      return (d) => truthy(evalExpression(d, value, eo));
    }
    case '$comment': return ALWAYS;
    case '$alwaysTrue': return ALWAYS;
    case '$alwaysFalse': return () => false;
    case '$text': throw new MongoError(27, 'text index required for $text query (embedded-mongo does not support $text)');
    case '$where': throw badValue('$where is not supported by embedded-mongo');
    case '$jsonSchema': throw badValue('$jsonSchema is not supported by embedded-mongo');
    case '$sampleRate': {
      const r = toNumber(value);
      return () => Math.random() < r;
    }
    default: throw badValue(`unknown top level operator: ${op}`);
  }
}

/** `{path: cond}` where cond is a value (equality), a RegExp or an operator document. */
function compileField(path: string, cond: any, opts: MatchOptions): Matcher {
  const parts = splitPath(path);
  if (isOperatorDoc(cond)) {
    const preds: Matcher[] = [];
    const keys = Object.keys(cond);
    for (const op of keys) {
      if (op === '$options') {
        if (!hasOwn(cond, '$regex')) throw badValue('$options needs a $regex');
        continue;
      }
      preds.push(compileOp(parts, op, cond[op], cond, opts));
    }
    return andAll(preds);
  }
  if (cond instanceof RegExp || cond?._bsontype === 'BSONRegExp') return pathMatcher(parts, regexLeaf(toRegExp(cond)));
  return pathMatcher(parts, eqLeaf(cond, opts.collator));
}

export function isOperatorDoc(v: any): boolean {
  if (!isPlainDoc(v)) return false;
  for (const k in v) return k[0] === '$';
  return false;
}

function compileOp(parts: string[], op: string, v: any, whole: Doc, opts: MatchOptions): Matcher {
  switch (op) {
    case '$eq': return pathMatcher(parts, eqLeaf(v, opts.collator));
    case '$ne': return negate(pathMatcher(parts, eqLeaf(v, opts.collator)));
    case '$gt': case '$gte': case '$lt': case '$lte': return pathMatcher(parts, rangeLeaf(op, v, opts.collator));
    case '$in': return pathMatcher(parts, inLeaf(v, opts.collator));
    case '$nin': return negate(pathMatcher(parts, inLeaf(v, opts.collator)));
    case '$exists': {
      const m = pathMatcher(parts, (x) => x !== MISSING);
      return truthy(v) ? m : negate(m);
    }
    case '$type': return pathMatcher(parts, typeLeaf(v));
    case '$size': {
      if (!isNumeric(v)) throw badValue('$size needs a number');
      const n = toNumber(v);
      if (!Number.isInteger(n) || n < 0) throw badValue('$size may only be called with a non-negative integer argument');
      return pathMatcher(parts, (x) => Array.isArray(x) && x.length === n);
    }
    case '$all': return compileAll(parts, v, opts);
    case '$elemMatch': return pathMatcher(parts, elemMatchLeaf(v, opts));
    case '$regex': return pathMatcher(parts, regexLeaf(toRegExp(v, whole.$options)));
    case '$not': {
      if (v instanceof RegExp || v?._bsontype === 'BSONRegExp') return negate(pathMatcher(parts, regexLeaf(toRegExp(v))));
      if (!isPlainDoc(v) || Object.keys(v).length === 0) throw badValue('$not needs a regex or a document');
      if (!isOperatorDoc(v)) throw badValue('$not needs a regex or a document');
      return negate(compileField(parts.join('.'), v, opts));
    }
    case '$mod': return pathMatcher(parts, modLeaf(v));
    case '$bitsAllSet': case '$bitsAnySet': case '$bitsAllClear': case '$bitsAnyClear':
      return pathMatcher(parts, bitsLeaf(op, v));
    case '$comment': return ALWAYS;
    case '$near': case '$nearSphere': case '$geoWithin': case '$geoIntersects': case '$within':
    case '$box': case '$center': case '$centerSphere': case '$polygon': case '$geometry': case '$maxDistance':
      throw badValue(`geo queries (${op}) are not supported by embedded-mongo`);
    case '$text': case '$where': case '$jsonSchema': case '$expr':
      throw badValue(`unknown operator: ${op}`);
    default: throw badValue(`unknown operator: ${op}`);
  }
}

function negate(m: Matcher): Matcher {
  return (d) => !m(d);
}

/**
 * Evaluates `leaf` on every value `parts` reaches in `doc`, following arrays of documents. The
 * position of the first array on the path that produced the match is reported in `st.pos`.
 */
export function pathMatcher(parts: string[], leaf: Leaf): Matcher {
  if (parts.length === 1) {
    const p = parts[0];
    if (PROTO_KEYS.has(p)) return (doc, st) => leaf(hasOwn(doc, p) ? doc[p] : MISSING, st);
    // a plain property read; only an undefined value needs the own-property test
    return (doc, st) => {
      const v = doc[p];
      return leaf(v !== undefined ? v : hasOwn(doc, p) ? undefined : MISSING, st);
    };
  }
  return (doc, st) => walk(doc, parts, 0, leaf, st, false);
}

function walk(v: any, parts: string[], i: number, leaf: Leaf, st: MatchState | undefined, arrSeen: boolean): boolean {
  if (i === parts.length) return leaf(v, arrSeen ? undefined : st);
  const part = parts[i];
  if (Array.isArray(v)) {
    let walked = false;
    if (isIndexPart(part)) {
      const idx = Number(part);
      if (idx < v.length) {
        walked = true;
        if (walk(v[idx], parts, i + 1, leaf, st, arrSeen)) return true;
      }
    }
    for (let k = 0; k < v.length; k++) {
      const e = v[k];
      if (isPlainDoc(e)) {
        walked = true;
        if (walk(hasOwn(e, part) ? e[part] : MISSING, parts, i + 1, leaf, st, true)) {
          if (!arrSeen && st) st.pos = k;
          return true;
        }
      }
    }
    return walked ? false : leaf(MISSING, undefined);
  }
  if (v !== null && typeof v === 'object' && isPlainDoc(v)) {
    return walk(hasOwn(v, part) ? v[part] : MISSING, parts, i + 1, leaf, st, arrSeen);
  }
  return leaf(MISSING, undefined);
}

// ---------------------------------------------------------------------------------------------
// Leaves

export function eqLeaf(target: any, collator?: Collator): Leaf {
  if (collator && typeof target === 'string') {
    const eq = (x: any) => (typeof x === 'string' || x?._bsontype === 'BSONSymbol') && collator.compare(typeof x === 'string' ? x : x.value, target) === 0;
    return (v, st) => {
      if (eq(v)) return true;
      if (Array.isArray(v)) for (let k = 0; k < v.length; k++) if (eq(v[k])) { if (st) st.pos = k; return true; }
      return false;
    };
  }
  if (target instanceof RegExp) {
    // {$eq: /re/} compares regex values, it does not run the regex.
    return (v, st) => {
      if (v === MISSING) return false;
      if (valuesEqual(v, target)) return true;
      if (Array.isArray(v)) for (let k = 0; k < v.length; k++) if (valuesEqual(v[k], target)) { if (st) st.pos = k; return true; }
      return false;
    };
  }
  const tt = typeof target;
  if (tt === 'string' || tt === 'boolean') {
    return (v, st) => {
      if (v === target) return true;
      if (Array.isArray(v)) {
        for (let k = 0; k < v.length; k++) if (v[k] === target) { if (st) st.pos = k; return true; }
        return false;
      }
      // Symbols (deprecated) carry a string value
      return tt === 'string' && v?._bsontype === 'BSONSymbol' && v.value === target;
    };
  }
  const isNull = target === null || target === undefined;
  return (v, st) => {
    if (v === MISSING) return isNull;
    if (valuesEqual(v, target)) return true;
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) if (valuesEqual(v[k], target)) { if (st) st.pos = k; return true; }
    }
    return false;
  };
}

function rangeLeaf(op: string, target: any, collator?: Collator): Leaf {
  const cmp = collatedCompare(collator);
  const ok = op === '$gt' ? (c: number) => c > 0 : op === '$gte' ? (c: number) => c >= 0
    : op === '$lt' ? (c: number) => c < 0 : (c: number) => c <= 0;
  const tb = bracket(target);
  // MinKey/MaxKey bounds compare across brackets; otherwise only values of the same bracket match.
  const crossBracket = tb === B_MINKEY || tb === B_MAXKEY;
  const test = (x: any) => {
    if (!crossBracket && bracket(x) !== tb) return false;
    return ok(cmp(x, target));
  };
  return (v, st) => {
    if (v === MISSING) return tb === B_NULL && (op === '$gte' || op === '$lte');
    if (test(v)) return true;
    if (Array.isArray(v)) for (let k = 0; k < v.length; k++) if (test(v[k])) { if (st) st.pos = k; return true; }
    return false;
  };
}

function inLeaf(list: any, collator?: Collator): Leaf {
  if (!Array.isArray(list)) throw badValue('$in needs an array');
  const regexes: RegExp[] = [];
  const values: any[] = [];
  for (const x of list) {
    if (x instanceof RegExp || x?._bsontype === 'BSONRegExp') regexes.push(toRegExp(x));
    else if (isOperatorDoc(x)) throw badValue('cannot nest $ under $in');
    else values.push(x);
  }
  const hasNull = values.some((x) => x === null || x === undefined);
  let has: (x: any) => boolean;
  if (collator) {
    const cmp = collatedCompare(collator);
    has = (x) => {
      for (const y of values) if (cmp(x, y) === 0) return true;
      return false;
    };
  } else if (values.length > 0 && values.every((y) => typeof y === 'string')) {
    // strings only: a string is compared by identity of content; anything else (a Symbol carrying a
    // string, or another type) goes through the BSON comparison
    const strs = new Set<string>(values);
    has = (x) => {
      if (typeof x === 'string') return strs.has(x);
      if (x === null || typeof x !== 'object' || Array.isArray(x)) return false;
      for (const y of values) if (valuesEqual(x, y)) return true;
      return false;
    };
  } else if (values.length > 8) {
    const set = new Set(values.map(keyString));
    has = (x) => set.has(keyString(x));
  } else {
    has = (x) => {
      for (const y of values) if (valuesEqual(x, y)) return true;
      return false;
    };
  }
  const re = (x: any) => {
    if (typeof x !== 'string') return false;
    for (const r of regexes) { r.lastIndex = 0; if (r.test(x)) return true; }
    return false;
  };
  return (v, st) => {
    if (v === MISSING) return hasNull;
    if (has(v) || (regexes.length > 0 && re(v))) return true;
    if (Array.isArray(v)) {
      for (let k = 0; k < v.length; k++) if (has(v[k]) || (regexes.length > 0 && re(v[k]))) { if (st) st.pos = k; return true; }
    }
    return false;
  };
}

function typeLeaf(spec: any): Leaf {
  const list = Array.isArray(spec) ? spec : [spec];
  const wanted = new Set<string>();
  for (const t of list) {
    if (typeof t === 'string') {
      if (t !== 'number' && !Object.values(TYPE_ALIASES).includes(t)) throw badValue(`Unknown type name alias: ${t}`);
      wanted.add(t);
    } else if (isNumeric(t)) {
      const name = TYPE_ALIASES[toNumber(t)];
      if (!name) throw badValue(`Invalid numerical type code: ${toNumber(t)}`);
      wanted.add(name);
    } else throw badValue('type must be represented as a number or a string');
  }
  const is = (x: any) => typeNames(x).some((n) => wanted.has(n));
  return (v, st) => {
    if (v === MISSING) return false;
    if (Array.isArray(v)) {
      if (wanted.has('array')) return true;
      for (let k = 0; k < v.length; k++) if (is(v[k])) { if (st) st.pos = k; return true; }
      return false;
    }
    return is(v);
  };
}

/**
 * The text a regex matches literally (`malaysia`, `mou\-my`), when its source has no operator at
 * all and no flag changes what a literal means: String#includes then answers the same, faster.
 */
export function literalOf(re: RegExp): string | undefined {
  if (re.flags !== '' && re.flags !== 's') return undefined;
  const src = re.source;
  let out = '';
  for (let i = 0; i < src.length; i++) {
    let ch = src[i];
    if (ch === '\\') {
      const n = src[i + 1];
      if (n === undefined || /[A-Za-z0-9]/.test(n) || n.charCodeAt(0) > 0x7f) return undefined; // \d \w \b \1 \u...
      ch = n;
      i++;
    } else if ('.^$|?*+()[]{}/'.includes(ch)) return undefined;
    out += ch;
  }
  return out.length > 0 ? out : undefined;
}

function regexLeaf(re: RegExp): Leaf {
  const lit = literalOf(re);
  const test = (x: any) => {
    if (typeof x === 'string') {
      if (lit !== undefined) return x.includes(lit);
      re.lastIndex = 0;
      return re.test(x);
    }
    if (x?._bsontype === 'BSONSymbol') { re.lastIndex = 0; return re.test(x.value); }
    if (x instanceof RegExp) return x.source === re.source && x.flags === re.flags;
    return false;
  };
  return (v, st) => {
    if (v === MISSING) return false;
    if (test(v)) return true;
    if (Array.isArray(v)) for (let k = 0; k < v.length; k++) if (test(v[k])) { if (st) st.pos = k; return true; }
    return false;
  };
}

export function toRegExp(v: any, options?: any): RegExp {
  let source: string, flags: string;
  if (v instanceof RegExp) { source = v.source; flags = v.flags; } else if (v?._bsontype === 'BSONRegExp') { source = v.pattern; flags = v.options; } else if (typeof v === 'string') { source = v; flags = ''; } else throw badValue('$regex has to be a string');
  if (options !== undefined) {
    if (typeof options !== 'string') throw badValue('$options has to be a string');
    flags = options;
  }
  // mongod refuses these outright (its PCRE takes C strings): never silently match a truncated pattern.
  if (source.includes('\u0000')) throw badValue('Regular expression cannot contain an embedded null byte');
  if (flags.includes('\u0000')) throw badValue('Regular expression options string cannot contain an embedded null byte');
  let f = '';
  for (const c of flags) {
    if (c === 'i' || c === 'm' || c === 's' || c === 'u') { if (!f.includes(c)) f += c; } else if (c === 'x') {
      // extended: drop unescaped whitespace and #-comments
      source = source.replace(/\\#/g, '\u0000').replace(/#[^\n]*/g, '').replace(/(\\\s)|\s+/g, (m, esc) => esc ?? '').replace(/\u0000/g, '\\#');
    } else if (c === 'g' || c === 'y' || c === 'd' || c === 'l') { /* ignored */ } else throw badValue(`invalid flag in regex options: ${c}`);
  }
  try {
    return new RegExp(source, f);
  } catch (e) {
    throw new MongoError(51091, `Regular expression is invalid: ${(e as Error).message}`);
  }
}

function modLeaf(spec: any): Leaf {
  if (!Array.isArray(spec) || spec.length !== 2) throw badValue('malformed mod, needs to be an array of two numbers');
  if (!isNumeric(spec[0]) || !isNumeric(spec[1])) throw badValue('malformed mod, divisor and remainder must be numbers');
  const d = Math.trunc(toNumber(spec[0])), r = Math.trunc(toNumber(spec[1]));
  if (d === 0) throw badValue('divisor cannot be 0');
  const test = (x: any) => {
    if (!isNumeric(x)) return false;
    const n = toNumber(x);
    if (!Number.isFinite(n)) return false;
    return Math.trunc(n) % d === r;
  };
  return (v, st) => {
    if (test(v)) return true;
    if (Array.isArray(v)) for (let k = 0; k < v.length; k++) if (test(v[k])) { if (st) st.pos = k; return true; }
    return false;
  };
}

function bitsLeaf(op: string, spec: any): Leaf {
  let mask: bigint;
  if (Array.isArray(spec)) {
    mask = 0n;
    for (const p of spec) {
      const n = toNumber(p, -1);
      if (!Number.isInteger(n) || n < 0) throw badValue(`bit positions must be non-negative integers`);
      if (n < 64) mask |= 1n << BigInt(n);
    }
  } else if (isNumeric(spec)) {
    const n = toNumber(spec);
    if (!Number.isInteger(n) || n < 0) throw badValue(`${op} takes a non-negative integer bitmask`);
    mask = BigInt(n);
  } else if (spec?._bsontype === 'Binary') {
    mask = 0n;
    const bytes: Uint8Array = spec.buffer.subarray(0, spec.position);
    for (let i = bytes.length - 1; i >= 0; i--) mask = (mask << 8n) | BigInt(bytes[i]);
  } else throw badValue(`${op} takes an Array, a number, or a BinData`);
  const test = (x: any): boolean => {
    let val: bigint;
    if (typeof x === 'number' || x?._bsontype === 'Double') {
      const n = toNumber(x);
      if (!Number.isInteger(n)) return false;
      val = BigInt.asUintN(64, BigInt(n));
    } else if (x?._bsontype === 'Long') val = BigInt.asUintN(64, BigInt(x.toString()));
    else return false;
    const set = val & mask;
    switch (op) {
      case '$bitsAllSet': return set === mask;
      case '$bitsAnySet': return set !== 0n;
      case '$bitsAllClear': return set === 0n;
      default: return set !== mask;
    }
  };
  return (v) => {
    if (test(v)) return true;
    if (Array.isArray(v)) for (const e of v) if (test(e)) return true;
    return false;
  };
}

function elemMatchLeaf(criteria: any, opts: MatchOptions): Leaf {
  if (!isPlainDoc(criteria)) throw badValue('$elemMatch needs an Object');
  let test: (e: any) => boolean;
  const keys = Object.keys(criteria);
  const valueForm = keys.length > 0 && keys.every((k) => k[0] === '$' && k !== '$and' && k !== '$or' && k !== '$nor' && k !== '$expr');
  if (valueForm) {
    // {$elemMatch: {$gte: 80, $lt: 85}}: operators apply to the element itself.
    // The element is the value: an element that is itself an array is compared whole, not
    // expanded (wrapping it in an array makes the leaf test it as one element).
    const m = compileField('x', criteria, opts);
    test = (e) => m({ x: Array.isArray(e) ? [e] : e });
  } else {
    const m = compileFilter(criteria, opts);
    test = (e) => isPlainDoc(e) && m(e);
  }
  return (v, st) => {
    if (!Array.isArray(v)) return false;
    for (let k = 0; k < v.length; k++) if (test(v[k])) { if (st) st.pos = k; return true; }
    return false;
  };
}

function compileAll(parts: string[], list: any, opts: MatchOptions): Matcher {
  if (!Array.isArray(list)) throw badValue('$all needs an array');
  if (list.length === 0) return () => false;
  const preds: Matcher[] = list.map((x: any) => {
    if (isPlainDoc(x) && hasOwn(x, '$elemMatch')) return pathMatcher(parts, elemMatchLeaf(x.$elemMatch, opts));
    if (isOperatorDoc(x)) throw badValue('no $ expressions in $all');
    if (x instanceof RegExp) return pathMatcher(parts, regexLeaf(x));
    return pathMatcher(parts, eqLeaf(x, opts.collator));
  });
  return andAll(preds);
}
