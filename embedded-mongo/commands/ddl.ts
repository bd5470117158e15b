/** create, drop, listCollections, listDatabases, dropDatabase, renameCollection, collMod, index DDL. */
import type { Doc } from '../bson/codec.js';
import { isPlainDoc, toNumber } from '../bson/codec.js';
import { MongoError, badValue, failedToParse, nsNotFound } from '../errors.js';
import { compileFilter } from '../query/matcher.js';
import type { IndexSpec } from '../storage/indexes.js';
import { parseKeyPattern } from '../storage/indexes.js';
import { identical } from '../query/update.js';
import type { Collection } from '../storage/collection.js';
import { assertValidCollName } from '../storage/collection.js';
import type { Handler } from './context.js';
import { createdBy } from '../txn/transaction.js';
import { arrayCursorReply, collName } from './context.js';

/** Fields any command may carry (sessions, transactions, stable API, concerns). */
const GENERIC_FIELDS = new Set(['lsid', 'txnNumber', 'autocommit', 'startTransaction', 'writeConcern', 'readConcern', 'comment',
  'maxTimeMS', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);

const CREATE_OPTIONS = new Set(['capped', 'size', 'max', 'validator', 'validationLevel', 'validationAction', 'collation',
  'writeConcern', 'comment', 'storageEngine', 'indexOptionDefaults', 'changeStreamPreAndPostImages', 'expireAfterSeconds',
  'idIndex', 'autoIndexId', 'flags']);

export const create: Handler = (cmd, ctx) => {
  const name = collName(cmd, ctx);
  if (cmd.viewOn !== undefined || cmd.pipeline !== undefined) throw new MongoError(115, 'views are not supported by embedded-mongo');
  if (cmd.timeseries !== undefined) throw new MongoError(115, 'time-series collections are not supported by embedded-mongo');
  if (cmd.clusteredIndex !== undefined) throw new MongoError(115, 'clustered collections are not supported by embedded-mongo');
  const options: Doc = {};
  for (const k of Object.keys(cmd)) {
    if (k === 'create' || k[0] === '$' || GENERIC_FIELDS.has(k)) continue;
    if (!CREATE_OPTIONS.has(k)) throw badValue(`BSON field 'create.${k}' is an unknown field.`);
    options[k] = cmd[k];
  }
  if (options.validator !== undefined) {
    if (!isPlainDoc(options.validator)) throw badValue('validator must be an object');
    compileFilter(options.validator);
  }
  ctx.store.createCollection(ctx.db, name, options, ctx.txn);
  return { ok: 1 };
};

export const drop: Handler = (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const c = ctx.store.dropCollection(ctx.db, name);
  if (!c) return { ok: 1 };
  return { nIndexesWas: c.indexes.length, ns: `${ctx.db}.${name}`, ok: 1 };
};

export const dropDatabase: Handler = (_cmd, ctx) => {
  ctx.store.dropDatabase(ctx.db);
  return { dropped: ctx.db, ok: 1 };
};

function collectionInfo(c: Collection): Doc {
  return {
    name: c.name,
    type: 'collection',
    options: c.options,
    info: { readOnly: false, uuid: c.uuid },
    idIndex: c.idIndex.spec,
  };
}

export const listCollections: Handler = (cmd, ctx) => {
  const filter = cmd.filter ?? {};
  if (!isPlainDoc(filter)) throw badValue('filter must be an object');
  const m = compileFilter(filter);
  const nameOnly = cmd.nameOnly === true;
  const docs: Doc[] = [];
  for (const c of ctx.store.listCollections(ctx.db)) {
    if (ctx.store.createdElsewhere(c, ctx.txn)) continue;
    const info = collectionInfo(c);
    if (!m(info)) continue;
    docs.push(nameOnly ? { name: c.name, type: 'collection' } : info);
  }
  docs.sort((a, b) => (a.name < b.name ? -1 : 1));
  return arrayCursorReply(`${ctx.db}.$cmd.listCollections`, docs);
};

export const listDatabases: Handler = (cmd, ctx) => {
  const nameOnly = cmd.nameOnly === true;
  const filter = isPlainDoc(cmd.filter) ? compileFilter(cmd.filter) : undefined;
  const dbs: Doc[] = [];
  let total = 0;
  for (const name of ctx.store.listDatabases().sort()) {
    let size = 0;
    for (const c of ctx.store.listCollections(name)) size += c.size * 256 + 4096;
    total += size;
    const d: Doc = nameOnly ? { name } : { name, sizeOnDisk: size, empty: size === 0 };
    if (filter && !filter(d)) continue;
    dbs.push(d);
  }
  return nameOnly ? { databases: dbs, ok: 1 } : { databases: dbs, totalSize: total, totalSizeMb: Math.round(total / 1048576), ok: 1 };
};

export const renameCollection: Handler = (cmd, ctx) => {
  if (ctx.db !== 'admin') throw new MongoError(13, 'renameCollection may only be run against the admin database.');
  const from = cmd.renameCollection, to = cmd.to;
  if (typeof from !== 'string' || typeof to !== 'string') throw badValue('renameCollection and to must be strings');
  const split = (ns: string) => {
    const i = ns.indexOf('.');
    if (i <= 0 || i === ns.length - 1) throw new MongoError(73, `Invalid namespace specified '${ns}'`);
    return [ns.slice(0, i), ns.slice(i + 1)];
  };
  const [db, c] = split(from);
  const [toDb, toC] = split(to);
  ctx.store.renameCollection(db, c, toDb, toC, cmd.dropTarget === true);
  return { ok: 1 };
};

export const collMod: Handler = (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const coll = ctx.store.getCollection(ctx.db, name);
  if (!coll) throw nsNotFound(`${ctx.db}.${name}`);
  if (cmd.dryRun !== undefined && cmd.dryRun !== false) return collModDryRun(cmd, coll);
  const options = { ...coll.options };
  let modifications = 0;
  for (const k of ['validator', 'validationLevel', 'validationAction']) {
    if (cmd[k] !== undefined) {
      options[k] = cmd[k];
      modifications++;
    }
  }
  const images = cmd.changeStreamPreAndPostImages;
  if (images !== undefined) {
    if (!isPlainDoc(images) || typeof images.enabled !== 'boolean') throw failedToParse("BSON field 'changeStreamPreAndPostImages.enabled' is missing but a required field");
    // as mongod, the option is listed only while it is on
    if (images.enabled) options.changeStreamPreAndPostImages = { enabled: true };
    else delete options.changeStreamPreAndPostImages;
    modifications++;
  }
  const reply: Doc = {};
  if (isPlainDoc(cmd.index)) {
    const spec = cmd.index;
    const ix = collModIndex(coll, spec);
    // Everything is checked before anything changes. Converting an index to unique takes two
    // steps (MongoDB 6.0): prepareUnique refuses new duplicates, then unique: true checks the
    // stored ones and converts.
    const ttl = spec.expireAfterSeconds;
    if (ttl !== undefined) modifications++;
    let makeUnique = false;
    if (spec.unique !== undefined) {
      modifications++;
      if (!spec.unique) throw badValue('Cannot make index non-unique');
      if (!ix.unique) {
        if (!ix.prepareUnique) throw new MongoError(72, "Cannot make index unique with 'prepareUnique=false'. Run collMod to set it first.");
        makeUnique = true;
      }
    }
    let prepare: boolean | undefined;
    if (spec.prepareUnique !== undefined) {
      modifications++;
      const on = Boolean(spec.prepareUnique);
      // the same value, or an index that is unique already: nothing changes and nothing is reported
      if (!ix.unique && ix.prepareUnique !== on) prepare = on;
    }
    if (prepare !== undefined && modifications > 1) throw new MongoError(72, 'prepareUnique cannot be combined with any other modification.');
    if (makeUnique) {
      const violations = uniqueViolations(coll, ix);
      if (violations.length > 0) throw cannotConvertToUnique(violations);
    }
    if (ttl !== undefined) {
      reply.expireAfterSeconds_old = ix.spec.expireAfterSeconds;
      reply.expireAfterSeconds_new = ttl;
      ctx.store.updateIndexSpec(coll, ix, { ...ix.spec, expireAfterSeconds: ttl });
    }
    if (makeUnique) {
      ctx.store.updateIndexSpec(coll, ix, { ...ix.spec, unique: true, prepareUnique: undefined });
      reply.unique_new = true;
    }
    if (prepare !== undefined) {
      reply.prepareUnique_old = ix.prepareUnique;
      reply.prepareUnique_new = prepare;
      ctx.store.updateIndexSpec(coll, ix, { ...ix.spec, prepareUnique: prepare || undefined });
    }
  }
  ctx.store.setCollectionOptions(coll, options);
  return { ...reply, ok: 1 };
};

function collModIndex(coll: Collection, spec: Doc) {
  const ix = typeof spec.name === 'string' ? coll.getIndex(spec.name) : coll.indexes.find((i) => identical(i.spec.key, spec.keyPattern));
  if (!ix) throw new MongoError(27, 'cannot find index for collMod');
  return ix;
}

/** `dryRun: true` with `index: {…, unique: true}` only: the duplicates a conversion would refuse, nothing changed. */
function collModDryRun(cmd: Doc, coll: Collection): Doc {
  if (!isPlainDoc(cmd.index)) throw new MongoError(72, 'dry run mode requires an valid index modification.');
  if (cmd.index.unique !== true) throw new MongoError(72, 'dry run mode requires an index modification with unique: true.');
  const others = Object.keys(cmd).filter((k) => !['collMod', 'index', 'dryRun', 'writeConcern', 'comment', 'lsid', 'txnNumber', '$db', '$clusterTime', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors'].includes(k));
  const indexOthers = Object.keys(cmd.index).filter((k) => !['name', 'keyPattern', 'unique'].includes(k));
  if (others.length > 0 || indexOthers.length > 0) throw new MongoError(72, 'unique: true cannot be combined with any other modification in dry run mode.');
  const ix = collModIndex(coll, cmd.index);
  const violations = ix.unique ? [] : uniqueViolations(coll, ix);
  if (violations.length > 0) throw cannotConvertToUnique(violations);
  return { ok: 1 };
}

/** The `_id`s of the documents sharing a key, one group per key (mongod's `violations`). */
function uniqueViolations(coll: Collection, ix: Collection['indexes'][number]): Array<{ ids: unknown[] }> {
  return ix.duplicateGroups().map((rids) => ({ ids: rids.map((rid) => coll.records.get(rid)!.doc._id) }));
}

function cannotConvertToUnique(violations: Array<{ ids: unknown[] }>): MongoError {
  return new MongoError(359, 'Cannot convert the index to unique. Please resolve conflicting documents before running collMod again.', { violations });
}

// ---------------------------------------------------------------------------------------------
// Indexes

const INDEX_OPTIONS = new Set(['key', 'name', 'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation',
  'background', 'v', 'hidden', 'prepareUnique', 'weights', 'default_language', 'language_override', 'textIndexVersion', '2dsphereIndexVersion',
  'bits', 'min', 'max', 'bucketSize', 'wildcardProjection', 'storageEngine', 'ns', 'dropDups']);

function normalizeSpec(raw: Doc): IndexSpec {
  if (!isPlainDoc(raw)) throw failedToParse('index specification must be an object');
  for (const k of Object.keys(raw)) {
    if (!INDEX_OPTIONS.has(k)) throw new MongoError(197, `The field '${k}' is not valid for an index specification. Specification: ${JSON.stringify(raw)}`);
  }
  if (!isPlainDoc(raw.key)) throw failedToParse("The 'key' field is a required property of an index specification");
  if (typeof raw.name !== 'string' || raw.name === '') throw failedToParse("The 'name' field is a required property of an index specification");
  const { special, hashed } = parseKeyPattern(raw.key);
  if (hashed && raw.unique) throw new MongoError(67, 'Currently hashed indexes cannot guarantee uniqueness. Use a regular index.');
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainDoc(raw.partialFilterExpression)) throw badValue('partialFilterExpression must be an object');
    compileFilter(raw.partialFilterExpression);
    if (raw.sparse) throw badValue('cannot mix "partialFilterExpression" and "sparse" options');
  }
  if (raw.expireAfterSeconds !== undefined) {
    const n = toNumber(raw.expireAfterSeconds, NaN);
    if (!Number.isFinite(n) || n < 0) throw badValue(`TTL index 'expireAfterSeconds' option must be within an acceptable range`);
  }
  void special;
  // Echo the spec verbatim (minus `ns`), adding v:2 first, so mongoose's index diffing sees
  // exactly what it sent.
  const spec: IndexSpec = { v: 2, key: raw.key, name: raw.name };
  for (const k of Object.keys(raw)) {
    if (k === 'key' || k === 'name' || k === 'v' || k === 'ns' || k === 'background' || k === 'dropDups') continue;
    spec[k] = raw[k];
  }
  if (raw.collation && isPlainDoc(raw.collation) && raw.collation.locale === 'simple') delete spec.collation;
  return spec;
}

function sameOptions(a: IndexSpec, b: IndexSpec): boolean {
  for (const k of ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'collation', 'hidden']) {
    const x = a[k], y = b[k];
    if (k === 'unique' || k === 'sparse' || k === 'hidden') { if (!!x !== !!y) return false; continue; }
    if (x === undefined && y === undefined) continue;
    if (x === undefined || y === undefined || !identical(x, y)) {
      if (k === 'expireAfterSeconds' && toNumber(x, NaN) === toNumber(y, NaN)) continue;
      return false;
    }
  }
  return true;
}

export const createIndexes: Handler = (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const specs = cmd.indexes;
  if (!Array.isArray(specs) || specs.length === 0) throw failedToParse("Must specify at least one index to create");
  const normalized = specs.map(normalizeSpec);
  assertValidCollName(name);
  const existed = !!ctx.store.getCollection(ctx.db, name);
  // Validate all before creating any.
  const existing = ctx.store.getCollection(ctx.db, name);
  const toCreate: IndexSpec[] = [];
  for (const spec of normalized) {
    if (spec.name === '_id_' || identical(spec.key, { _id: 1 })) {
      if (spec.name !== '_id_' || !identical(spec.key, { _id: 1 })) {
        throw new MongoError(86, `An existing index has the same name or key as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: { v: 2, key: { _id: 1 }, name: "_id_" }`);
      }
      if (spec.unique === false || spec.sparse) throw new MongoError(67, 'The _id index cannot be sparse or non-unique');
      continue;
    }
    const all = [...(existing?.indexes.map((i) => i.spec) ?? []), ...toCreate];
    const byName = all.find((s) => s.name === spec.name);
    const byKey = all.filter((s) => identical(s.key, spec.key));
    if (byName) {
      if (!identical(byName.key, spec.key) || !sameOptions(byName, spec)) {
        throw new MongoError(86, `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(byName)}`);
      }
      continue;
    }
    const same = byKey.find((s) => sameOptions(s, spec));
    if (same) throw new MongoError(85, `Index already exists with a different name: ${same.name}`);
    if (byKey.some((s) => !s.collation === !spec.collation && !s.partialFilterExpression && !spec.partialFilterExpression)) {
      const other = byKey[0];
      throw new MongoError(85, `An equivalent index already exists with the same name but different options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(other)}`);
    }
    toCreate.push(spec);
  }
  // in a transaction, only on a collection it creates (MongoDB 4.4's rule)
  if (ctx.txn && existing && toCreate.length > 0 && !createdBy(ctx.txn, existing)) {
    throw new MongoError(263, `Cannot create new indexes on existing collection ${ctx.db}.${name} in a multi-document transaction.`);
  }
  const [coll] = ctx.store.ensureCollection(ctx.db, name, {}, ctx.txn);
  const before = coll.indexes.length;
  for (const spec of toCreate) ctx.store.createIndex(coll, spec, ctx.txn);
  const reply: Doc = { numIndexesBefore: before, numIndexesAfter: coll.indexes.length, createdCollectionAutomatically: !existed, ok: 1 };
  if (toCreate.length === 0) reply.note = 'all indexes already exist';
  return reply;
};

export const listIndexes: Handler = (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const coll = ctx.store.getCollection(ctx.db, name);
  if (!coll || ctx.store.createdElsewhere(coll, ctx.txn)) throw nsNotFound(`${ctx.db}.${name}`);
  const specs = coll.indexSpecs().filter((s) => !ctx.store.createdElsewhere(coll, ctx.txn, String(s.name)));
  return arrayCursorReply(`${ctx.db}.${name}`, specs);
};

export const dropIndexes: Handler = (cmd, ctx) => {
  const name = collName(cmd, ctx);
  const coll = ctx.store.getCollection(ctx.db, name);
  if (!coll) throw nsNotFound(`${ctx.db}.${name}`);
  const spec = cmd.index;
  const was = coll.indexes.length;
  const dropOne = (ixName: string) => {
    if (ixName === '_id_') throw new MongoError(72, 'cannot drop _id index');
    if (!coll.getIndex(ixName)) throw new MongoError(27, `index not found with name [${ixName}]`);
    ctx.store.dropIndex(coll, ixName);
  };
  if (spec === '*') {
    for (const ix of coll.indexes.slice(1)) ctx.store.dropIndex(coll, ix.name);
  } else if (typeof spec === 'string') dropOne(spec);
  else if (Array.isArray(spec)) {
    for (const n of spec) if (typeof n !== 'string' || (n !== '_id_' && !coll.getIndex(n))) throw new MongoError(27, `index not found with name [${String(n)}]`);
    for (const n of spec) dropOne(n);
  } else if (isPlainDoc(spec)) {
    const matches = coll.indexes.filter((i) => identical(i.spec.key, spec));
    if (matches.length === 0) throw new MongoError(27, `can't find index with key: ${JSON.stringify(spec)}`);
    if (matches.length > 1) throw new MongoError(2, `${matches.length} indexes found for key: ${JSON.stringify(spec)}, identify by name instead.`);
    dropOne(matches[0].name);
  } else throw failedToParse("BSON field 'dropIndexes.index' is missing but a required field");
  return { nIndexesWas: was, ok: 1 };
};

/** What mongod outside Atlas answers to the search-index commands and the $listSearchIndexes stage. */
export const searchNotSupported = () => new MongoError(115, 'Search index commands are only supported with Atlas.');
export const searchIndexCommand: Handler = () => {
  throw searchNotSupported();
};
