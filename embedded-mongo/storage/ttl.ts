/**
 * The TTL monitor: deletes documents whose TTL-indexed date is older than the index's
 * `expireAfterSeconds`, as mongod's TTL monitor does, through each index's own range lookup.
 */
import type { Store } from './store.js';

/** One sweep at `now`; returns how many documents it deleted. */
export function sweepExpired(store: Store, now: number): number {
  let removed = 0;
  for (const name of store.listDatabases()) {
    for (const coll of store.listCollections(name)) {
      for (const ix of coll.indexes) {
        for (const rid of ix.expiredRids(now)) {
          const rec = coll.records.get(rid);
          // a document an open transaction holds waits for the next sweep
          if (!rec || store.blockerFor(coll, [{ id: rec.doc._id, doc: null }])) continue;
          try {
            store.delete(coll, rec.doc);
            removed++;
          } catch {
            /* a concurrent transaction: try again next sweep */
          }
        }
      }
    }
  }
  return removed;
}
