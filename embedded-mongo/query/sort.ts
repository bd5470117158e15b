/**
 * MongoDB sort semantics: missing sorts as null, an array field sorts by its smallest element
 * ascending / largest descending (an empty array before null), mixed types by bracket order.
 */
import type { Doc } from '../bson/codec.js';
import { isPlainDoc, toNumber, isNumeric } from '../bson/codec.js';
import { compareValues } from '../bson/order.js';
import type { Collator } from './collation.js';
import { collatedCompare } from './collation.js';
import { badValue } from '../errors.js';
import { extractKeys, splitPath } from './path.js';

export interface SortField { path: string; parts: string[]; dir: 1 | -1 }

export function parseSort(spec: any): SortField[] | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (!isPlainDoc(spec)) throw badValue('sort must be an object');
  const out: SortField[] = [];
  for (const path of Object.keys(spec)) {
    const v = spec[path];
    let dir: 1 | -1;
    if (isNumeric(v)) {
      const n = toNumber(v);
      if (n !== 1 && n !== -1) throw badValue(`$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
      dir = n as 1 | -1;
    } else if (isPlainDoc(v) && v.$meta !== undefined) {
      throw badValue(`$meta sort (${String(v.$meta)}) is not supported by embedded-mongo`);
    } else if (v === 'asc' || v === 'ascending') dir = 1;
    else if (v === 'desc' || v === 'descending') dir = -1;
    else throw badValue(`Illegal key in $sort specification: ${path}: ${String(v)}`);
    out.push({ path, parts: splitPath(path), dir });
  }
  if (out.length === 0) return undefined;
  return out;
}

/** The value a document sorts by for one field. */
export function sortKey(doc: Doc, f: SortField, cmp: (a: any, b: any) => number = compareValues): any {
  if (f.parts.length === 1) {
    // a top-level scalar is its own key (missing and undefined sort as null)
    const v = Object.prototype.hasOwnProperty.call(doc, f.path) ? doc[f.path] : undefined;
    if (!Array.isArray(v)) return v === undefined ? null : v;
  }
  const { values } = extractKeys(doc, f.parts);
  if (values.length === 1) return values[0];
  let best = values[0];
  for (let i = 1; i < values.length; i++) {
    const c = cmp(values[i], best);
    if (f.dir === 1 ? c < 0 : c > 0) best = values[i];
  }
  return best;
}

export function compareByKeys(ka: any[], kb: any[], fields: SortField[], cmp: (a: any, b: any) => number = compareValues): number {
  for (let i = 0; i < fields.length; i++) {
    const c = cmp(ka[i], kb[i]);
    if (c !== 0) return fields[i].dir === 1 ? c : -c;
  }
  return 0;
}

/** Stable sort (ties keep their input order, as MongoDB's record order). */
export function sortDocs<T extends Doc>(docs: T[], fields: SortField[], collator?: Collator): T[] {
  if (docs.length < 2) return docs;
  const cmp = collatedCompare(collator);
  const keyed = docs.map((d, i) => ({ d, i, k: fields.map((f) => sortKey(d, f, cmp)) }));
  keyed.sort((a, b) => compareByKeys(a.k, b.k, fields, cmp) || a.i - b.i);
  return keyed.map((x) => x.d);
}

/**
 * Top-k selection for sort+limit without sorting everything: keeps a bounded sorted buffer.
 */
export function sortDocsTopK<T extends Doc>(docs: Iterable<T>, fields: SortField[], k: number, collator?: Collator): T[] {
  type E = { d: T; i: number; k: any[] };
  const buf: E[] = [];
  let i = 0;
  const vcmp = collatedCompare(collator);
  const cmp = (a: E, b: E) => compareByKeys(a.k, b.k, fields, vcmp) || a.i - b.i;
  for (const d of docs) {
    const e = { d, i: i++, k: fields.map((f) => sortKey(d, f, vcmp)) };
    if (buf.length === k && cmp(e, buf[buf.length - 1]) >= 0) continue;
    // binary insertion
    let lo = 0, hi = buf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(buf[mid], e) <= 0) lo = mid + 1; else hi = mid;
    }
    buf.splice(lo, 0, e);
    if (buf.length > k) buf.pop();
  }
  return buf.map((x) => x.d);
}
