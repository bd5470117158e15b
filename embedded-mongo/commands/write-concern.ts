import type { Doc } from '../bson/codec.js';
import { isNumeric, isPlainDoc, toNumber } from '../bson/codec.js';

/**
 * A write concern this server can never satisfy, as the writeConcernError mongod reports for it.
 * The embedded server is the one data-bearing member of its replica set, so `w` above 1 answers
 * 100 UnsatisfiableWriteConcern and a named mode other than "majority" 79 UnknownReplWriteConcern.
 * mongod applies the write first and reports the failure in the reply (ok: 1), so the write
 * stands either way; a client that asked for more copies than exist learns it instead of
 * believing them made.
 */
export function unsatisfiableWriteConcern(writeConcern: unknown): Doc | undefined {
  if (!isPlainDoc(writeConcern)) return undefined;
  const { w } = writeConcern;
  const errInfo = { writeConcern: { w, wtimeout: writeConcern.wtimeout ?? 0, provenance: 'clientSupplied' } };
  if (isNumeric(w) && toNumber(w) > 1) return { code: 100, codeName: 'UnsatisfiableWriteConcern', errmsg: 'Not enough data-bearing nodes', errInfo };
  if (typeof w === 'string' && w !== 'majority') {
    return { code: 79, codeName: 'UnknownReplWriteConcern', errmsg: `No write concern mode named '${w}' found in replica set configuration`, errInfo };
  }
  return undefined;
}
