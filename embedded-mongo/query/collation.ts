/**
 * Query collations (`{locale, strength, caseLevel, caseFirst, numericOrdering, alternate}`):
 * string comparison through Intl.Collator. Only strings are affected; everything else keeps the
 * binary BSON order. `simple` (or no collation) means binary comparison.
 */
import type { Doc } from '../bson/codec.js';
import { isPlainDoc, toNumber } from '../bson/codec.js';
import { compareValues } from '../bson/order.js';
import { badValue } from '../errors.js';

export interface Collator {
  compare(a: string, b: string): number;
  /** Equal for strings the collation considers equal (hash sets). */
  key(s: string): string;
}

const cache = new Map<string, Collator | undefined>();

/**
 * The string key under a collation strength: strength 1 ignores case and accents, 2 ignores
 * case, 3 and above compare canonically composed text.
 */
export function foldFor(strength: number): (s: string) => string {
  if (strength <= 1) return (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  if (strength === 2) return (s) => s.toLowerCase();
  return (s) => s.normalize('NFC');
}

export function makeCollator(spec: unknown): Collator | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (!isPlainDoc(spec)) throw badValue('collation must be an object');
  const locale = spec.locale;
  if (typeof locale !== 'string') throw badValue("BSON field 'locale' is missing but a required field");
  if (locale === 'simple') return undefined;
  const id = JSON.stringify(spec);
  if (cache.has(id)) return cache.get(id);
  const strength = toNumber((spec as Doc).strength, 3);
  const caseLevel = (spec as Doc).caseLevel === true;
  let sensitivity: Intl.CollatorOptions['sensitivity'] = strength <= 1 ? 'base' : strength === 2 ? 'accent' : 'variant';
  if (caseLevel && sensitivity === 'base') sensitivity = 'case';
  const caseFirst = (spec as Doc).caseFirst;
  let intl: Intl.Collator;
  try {
    intl = new Intl.Collator(locale.replace(/_/g, '-'), {
      sensitivity,
      numeric: (spec as Doc).numericOrdering === true,
      caseFirst: caseFirst === 'upper' || caseFirst === 'lower' ? caseFirst : 'false',
      ignorePunctuation: (spec as Doc).alternate === 'shifted',
      usage: 'sort',
    });
  } catch {
    throw badValue(`Field 'locale' is invalid in: ${id}`);
  }
  const c: Collator = { compare: (a, b) => intl.compare(a, b), key: foldFor(strength) };
  if (cache.size > 100) cache.clear();
  cache.set(id, c);
  return c;
}

const strOf = (v: any): string | undefined => (typeof v === 'string' ? v : v?._bsontype === 'BSONSymbol' ? v.value : undefined);

/** compareValues with strings compared by the collator. */
export function collatedCompare(c: Collator | undefined): (a: any, b: any) => number {
  if (!c) return compareValues;
  return (a, b) => {
    const x = strOf(a), y = strOf(b);
    if (x !== undefined && y !== undefined) return Math.sign(c.compare(x, y));
    return compareValues(a, b);
  };
}
