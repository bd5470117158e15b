import type { Doc } from '../bson/codec.js';

/**
 * Resolves another collection for $lookup/$unionWith/$graphLookup. `query` lets $lookup use the
 * foreign collection's indexes instead of hashing the whole collection.
 */
export interface Resolver {
  (name: string): Doc[];
  /**
   * The documents of `name` matching `filter` through its indexes; `sort`/`limit` as find's,
   * `variables` for `$expr`; `joinField`: read through an index led by that field (a lookup's join).
   */
  query?: (name: string, filter: Doc, opts?: { sort?: Doc; limit?: number; variables?: Doc; joinField?: string }) => Doc[];
  /** Whether `field` leads an index of collection `name` (so per-document lookups are cheap). */
  indexed?: (name: string, field: string) => boolean;
}
