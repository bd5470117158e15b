import type { Doc } from '../bson/codec.js';

/**
 * Resolves another collection for $lookup/$unionWith/$graphLookup. `query` lets $lookup use the
 * foreign collection's indexes instead of hashing the whole collection.
 */
export interface Resolver {
  (name: string): Doc[];
  query?: (name: string, filter: Doc) => Doc[];
  /** Whether `field` leads an index of collection `name` (so per-document lookups are cheap). */
  indexed?: (name: string, field: string) => boolean;
}
