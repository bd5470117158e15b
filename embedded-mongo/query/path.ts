/** Dotted-path helpers shared by the matcher, projection, sort, index keys and updates. */
import { isPlainDoc } from '../bson/codec.js';
import { EMPTY_ARRAY_KEY, MISSING, keyString } from '../bson/order.js';

const pathCache = new Map<string, string[]>();

export function splitPath(path: string): string[] {
  let parts = pathCache.get(path);
  if (!parts) {
    parts = path.split('.');
    if (pathCache.size > 10000) pathCache.clear();
    pathCache.set(path, parts);
  }
  return parts;
}

export function isIndexPart(p: string): boolean {
  if (p.length === 0 || p.length > 9) return false;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return p.length === 1 || p[0] !== '0';
}

export const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export interface KeyExtraction {
  values: any[];
  /** An array was met on the path (the index becomes multikey). */
  multikey: boolean;
  /** Some real value (possibly null) was found; false means the field is missing everywhere. */
  found: boolean;
}

/**
 * Index/sort key values of `doc` at `parts`, the way MongoDB's key generator produces them:
 * arrays met along the path are unwound (one level at the leaf), a missing field yields null and
 * an empty leaf array yields EMPTY_ARRAY_KEY. Values are de-duplicated.
 */
export function extractKeys(doc: any, parts: string[]): KeyExtraction {
  const res: KeyExtraction = { values: [], multikey: false, found: false };
  collect(doc, parts, 0, res);
  if (res.values.length > 1) {
    const seen = new Set<string>();
    res.values = res.values.filter((v) => {
      const k = keyString(v);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  return res;
}

function collect(v: any, parts: string[], i: number, out: KeyExtraction): void {
  if (i === parts.length) {
    if (v === MISSING) { out.values.push(null); return; }
    out.found = true;
    if (Array.isArray(v)) {
      out.multikey = true;
      if (v.length === 0) out.values.push(EMPTY_ARRAY_KEY);
      else for (const e of v) out.values.push(e === undefined ? null : e);
    } else out.values.push(v === undefined ? null : v);
    return;
  }
  const part = parts[i];
  if (Array.isArray(v)) {
    out.multikey = true;
    if (isIndexPart(part) && Number(part) < v.length) { collect(v[Number(part)], parts, i + 1, out); return; }
    if (v.length === 0) { out.values.push(null); return; }
    for (const e of v) {
      if (isPlainDoc(e)) collect(hasOwn(e, part) ? e[part] : MISSING, parts, i + 1, out);
      else out.values.push(null);
    }
    return;
  }
  if (isPlainDoc(v)) { collect(hasOwn(v, part) ? v[part] : MISSING, parts, i + 1, out); return; }
  out.values.push(null);
}
