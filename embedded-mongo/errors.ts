/**
 * Server errors with MongoDB's codes and code names. The driver copies every field of an
 * `{ok:0}` reply onto MongoServerError, and mongoose tests `codeName` (e.g. NamespaceNotFound),
 * so codeName is always filled in.
 */
export const CODE_NAMES: Record<number, string> = {
  1: 'InternalError',
  2: 'BadValue',
  4: 'NoSuchKey',
  9: 'FailedToParse',
  10: 'UserNotFound',
  11: 'UnknownError',
  13: 'Unauthorized',
  14: 'TypeMismatch',
  17: 'ProtocolError',
  18: 'AuthenticationFailed',
  334: 'MechanismUnavailable',
  6: 'HostUnreachable',
  7: 'HostNotFound',
  8: 'UnknownError',
  24: 'LockTimeout',
  63: 'StaleShardVersion',
  64: 'WriteConcernFailed',
  79: 'UnknownReplWriteConcern',
  89: 'NetworkTimeout',
  91: 'ShutdownInProgress',
  100: 'UnsatisfiableWriteConcern',
  189: 'PrimarySteppedDown',
  262: 'ExceededTimeLimit',
  9001: 'SocketException',
  10107: 'NotWritablePrimary',
  11600: 'InterruptedAtShutdown',
  11601: 'Interrupted',
  11602: 'InterruptedDueToReplStateChange',
  13435: 'NotPrimaryNoSecondaryOk',
  13436: 'NotPrimaryOrSecondary',
  20: 'IllegalOperation',
  22: 'InvalidBSON',
  26: 'NamespaceNotFound',
  27: 'IndexNotFound',
  28: 'PathNotViable',
  40: 'ConflictingUpdateOperators',
  43: 'CursorNotFound',
  48: 'NamespaceExists',
  50: 'MaxTimeMSExpired',
  51: 'DollarPrefixedFieldName',
  52: 'InvalidIdField',
  59: 'CommandNotFound',
  66: 'ImmutableField',
  67: 'CannotCreateIndex',
  72: 'InvalidOptions',
  73: 'InvalidNamespace',
  85: 'IndexOptionsConflict',
  86: 'IndexKeySpecsConflict',
  96: 'OperationFailed',
  112: 'WriteConflict',
  115: 'CommandNotSupported',
  121: 'DocumentValidationFailure',
  166: 'CommandNotSupportedOnView',
  171: 'CannotIndexParallelArrays',
  225: 'TransactionTooOld',
  236: 'InvalidResumeToken',
  251: 'NoSuchTransaction',
  256: 'TransactionCommitted',
  263: 'OperationNotSupportedInTransaction',
  280: 'ChangeStreamFatalError',
  286: 'ChangeStreamHistoryLost',
  290: 'TransactionExceededLifetimeLimitSeconds',
  359: 'CannotConvertIndexToUnique',
  11000: 'DuplicateKey',
  10334: 'BSONObjectTooLarge',
  17419: 'BSONObjectTooLarge',
  31254: 'Location31254',
};

export class MongoError extends Error {
  code: number;
  codeName: string;
  extra: Record<string, unknown>;
  errorLabels?: string[];

  constructor(code: number, message: string, extra: Record<string, unknown> = {}, labels?: string[]) {
    super(message);
    this.code = code;
    this.codeName = CODE_NAMES[code] ?? `Location${code}`;
    this.extra = extra;
    if (labels) this.errorLabels = labels;
  }

  /** Shape of a command-level error reply. */
  toReply(): Record<string, unknown> {
    const r: Record<string, unknown> = { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
    if (this.errorLabels?.length) r.errorLabels = this.errorLabels;
    return r;
  }

  /** Shape of an entry of `writeErrors` (no ok/codeName-free per MongoDB, but codeName is harmless). */
  toWriteError(index: number): Record<string, unknown> {
    return { index, code: this.code, codeName: this.codeName, errmsg: this.message, ...this.extra };
  }
}

export const badValue = (msg: string) => new MongoError(2, msg);
export const failedToParse = (msg: string) => new MongoError(9, msg);
export const typeMismatch = (msg: string) => new MongoError(14, msg);
export const nsNotFound = (ns: string) => new MongoError(26, `ns does not exist: ${ns}`);

export function writeConflict(msg = 'Write conflict during plan execution and yielding is disabled.'): MongoError {
  return new MongoError(112, msg, {}, ['TransientTransactionError']);
}

export function noSuchTransaction(txnNumber: number | string, why = 'has been aborted'): MongoError {
  return new MongoError(251, `Transaction with { txnNumber: ${txnNumber} } ${why}.`, {}, ['TransientTransactionError']);
}

/** Converts anything thrown by a handler into a MongoError (unknown errors become code 1 / 2). */
export function asMongoError(e: unknown): MongoError {
  if (e instanceof MongoError) return e;
  const msg = e instanceof Error ? e.message : String(e);
  // mingo raises MingoError for invalid expressions/stages: that is the user's input (BadValue).
  if (e instanceof Error && (e.constructor?.name === 'MingoError' || /mingo/i.test(msg))) return new MongoError(2, msg);
  if (e instanceof RangeError) return new MongoError(2, msg);
  return new MongoError(1, msg);
}
