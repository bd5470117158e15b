/**
 * Specification tests the embedded server does not pass yet, each with what the runner saw.
 * Generated from a run (MONGO_SPEC_VERBOSE=1) and kept by hand: remove an entry once it passes;
 * a test that fails and is not listed here fails the suite. Where the cause is the Node driver
 * rather than the server (it changes the command before sending it, so MongoDB would fail the test
 * the same way through this driver), the entry says so instead of quoting the mismatch.
 */
export const KNOWN_FAILURES = new Map<string, string>([
  ["crud/bypassDocumentValidation.json › Aggregate with $out passes bypassDocumentValidation: false", "the Node driver drops bypassDocumentValidation: false before sending (bulk/common.js for insertMany and bulkWrite, find_and_modify.js and aggregate.js send it only when true): the command never carries it, on MongoDB either"],
  ["crud/bypassDocumentValidation.json › BulkWrite passes bypassDocumentValidation: false", "the Node driver drops bypassDocumentValidation: false before sending (bulk/common.js for insertMany and bulkWrite, find_and_modify.js and aggregate.js send it only when true): the command never carries it, on MongoDB either"],
  ["crud/bypassDocumentValidation.json › FindOneAndReplace passes bypassDocumentValidation: false", "the Node driver drops bypassDocumentValidation: false before sending (bulk/common.js for insertMany and bulkWrite, find_and_modify.js and aggregate.js send it only when true): the command never carries it, on MongoDB either"],
  ["crud/bypassDocumentValidation.json › FindOneAndUpdate passes bypassDocumentValidation: false", "the Node driver drops bypassDocumentValidation: false before sending (bulk/common.js for insertMany and bulkWrite, find_and_modify.js and aggregate.js send it only when true): the command never carries it, on MongoDB either"],
  ["crud/bypassDocumentValidation.json › InsertMany passes bypassDocumentValidation: false", "the Node driver drops bypassDocumentValidation: false before sending (bulk/common.js for insertMany and bulkWrite, find_and_modify.js and aggregate.js send it only when true): the command never carries it, on MongoDB either"],
  ["crud/create-null-ids.json › inserting _id with type null via insertOne", "the Node driver gives a document whose _id is null a new ObjectId before sending it (utils.js maybeAddIdToDocuments): the server never sees the null, on MongoDB either"],
  ["crud/create-null-ids.json › inserting _id with type null via insertMany", "the Node driver gives a document whose _id is null a new ObjectId before sending it (utils.js maybeAddIdToDocuments): the server never sees the null, on MongoDB either"],
  ["crud/create-null-ids.json › inserting _id with type null via bulkWrite", "the Node driver gives a document whose _id is null a new ObjectId before sending it (utils.js maybeAddIdToDocuments): the server never sees the null, on MongoDB either"],
  ["crud/estimatedDocumentCount.json › estimatedDocumentCount works correctly on views", "MongoServerError: (115) views are not supported by embedded-mongo"],
  ["transactions/run-command.json › run command with secondary read preference in client option and primary read preference in transaction options", "MongoServerSelectionError: Server selection timed out after 2000 ms"],
  ["transactions/transaction-options.json › readPreference inherited from client", "MongoServerSelectionError: Server selection timed out after 2000 ms"],
  ["change-streams/change-streams-disambiguatedPaths.json › disambiguatedPaths is present on updateDescription when an ambiguous path is present", "MatchError: iterateUntilDocumentOrError result.updateDescription.disambiguatedPaths: missing, expected {\"a.1\":[\"a\",\"1\"]}"],
  ["change-streams/change-streams-disambiguatedPaths.json › disambiguatedPaths returns array indices as integers", "MatchError: iterateUntilDocumentOrError result.updateDescription.disambiguatedPaths: missing, expected {\"a.0.1\":[\"a\",{\"$$type\":\"int\"},\"1\"]}"],
  ["change-streams/change-streams-showExpandedEvents.json › when showExpandedEvents is true, new fields on change stream events are handled appropriately", "MatchError: iterateUntilDocumentOrError result.collectionUUID: expected present, got null"],
  ["change-streams/change-streams-showExpandedEvents.json › when showExpandedEvents is true, createIndex events are reported", "MatchError: no result within 5000 ms"],
  ["change-streams/change-streams-showExpandedEvents.json › when showExpandedEvents is true, dropIndexes events are reported", "MatchError: no result within 5000 ms"],
  ["change-streams/change-streams-showExpandedEvents.json › when showExpandedEvents is true, create events are reported", "MatchError: no result within 5000 ms"],
  ["change-streams/change-streams-showExpandedEvents.json › when showExpandedEvents is true, create events on views are reported", "MongoServerError: (115) views are not supported by embedded-mongo"],
  ["change-streams/change-streams-showExpandedEvents.json › when showExpandedEvents is true, modify events are reported", "MatchError: no result within 5000 ms"],
  ["change-streams/change-streams.json › Test array truncation", "MatchError: iterateUntilDocumentOrError result.updateDescription.truncatedArrays: expected 1 elements, got 0: []"],
  ["collection-management/clustered-indexes.json › createCollection with clusteredIndex", "MongoServerError: (115) clustered collections are not supported by embedded-mongo"],
  ["collection-management/clustered-indexes.json › listCollections includes clusteredIndex", "MongoServerError: (115) clustered collections are not supported by embedded-mongo"],
  ["collection-management/clustered-indexes.json › listIndexes returns the index", "MongoServerError: (115) clustered collections are not supported by embedded-mongo"],
  ["collection-management/timeseries-collection.json › createCollection with all options", "MongoServerError: (115) time-series collections are not supported by embedded-mongo"],
  ["collection-management/timeseries-collection.json › insertMany with duplicate ids", "MongoServerError: (115) time-series collections are not supported by embedded-mongo"],
  ["collection-management/timeseries-collection.json › createCollection with bucketing options", "MongoServerError: (115) time-series collections are not supported by embedded-mongo"],
]);

/**
 * The least share of applicable tests each area must pass on the embedded server (the run of
 * 4 December 2026 passed: crud 324/335 (326/335 on 5 December, with command `let` evaluated), transactions 167/174 (172/174 on 5 December, with unsatisfiable write concerns reported and collections and indexes created in transactions), change-streams 57/66, sessions
 * 33/33, retryable-writes 112/112, index-management 11/11, collection-management 3/10 (4/10 on 6 December, with prepareUnique),
 * command-monitoring 30/32; 32/32 on 5 December, with returnKey and min/max). Raise a floor when a fix lifts its area.
 */
export const PASS_RATE_FLOOR: Record<string, number> = {
  crud: 0.97,
  transactions: 0.95,
  'change-streams': 0.86,
  sessions: 1,
  'retryable-writes': 1,
  'index-management': 1,
  'collection-management': 0.4,
  'command-monitoring': 1,
};
