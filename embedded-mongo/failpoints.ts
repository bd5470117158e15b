/**
 * Fail points, as mongod offers them to tests with `enableTestCommands`: `configureFailPoint`
 * with `failCommand` (fail, block, or drop the connection of chosen commands, optionally only for
 * one appName; add a writeConcernError to a command's reply), `mode` `alwaysOn`, `off`,
 * `{times: n}` or `{skip: n}`. This is how MongoDB's own specification tests exercise
 * retryable writes and transaction retries. Only registered when the server runs with
 * `testCommands: true`.
 */
import type { Doc } from './bson/codec.js';
import { isPlainDoc, toNumber } from './bson/codec.js';
import { MongoError, badValue } from './errors.js';

interface FailPoint {
  mode: 'alwaysOn' | { times: number } | { skip: number };
  data: Doc;
}

/** Errors a retryable write or a commit may be retried after (mongod labels them RetryableWriteError). */
const RETRYABLE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
const RETRYABLE_WRITES = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);

/** What the dispatcher must do with a command the fail point caught. */
export interface FailAction {
  /** wait this long first */
  blockMs?: number;
  /** drop the connection without a reply */
  closeConnection?: boolean;
  /** run the command, then drop the connection without a reply */
  closeAfter?: boolean;
  /** answer with this error instead of running the command */
  error?: MongoError;
  /** run the command, then add this to its reply */
  writeConcernError?: Doc;
  /** labels that go with the writeConcernError */
  errorLabels?: string[];
}

export class FailPoints {
  private points = new Map<string, FailPoint>();
  private lastData: Doc = {};

  /** Counts one catch by the named fail point when it is on (mode times/skip); false when it lets this one pass. */
  private take(name: string): boolean {
    const fp = this.points.get(name);
    if (!fp) return false;
    if (typeof fp.mode === 'object' && 'skip' in fp.mode) {
      if (fp.mode.skip > 0) {
        fp.mode.skip--;
        return false;
      }
    } else if (typeof fp.mode === 'object' && 'times' in fp.mode) {
      if (fp.mode.times <= 0) return false;
      if (--fp.mode.times === 0) this.points.delete(name);
    }
    this.lastData = fp.data;
    return true;
  }

  configure(cmd: Doc): Doc {
    const name = cmd.configureFailPoint;
    if (!KNOWN.has(name)) throw badValue(`unknown fail point: ${String(name)}`);
    const mode = cmd.mode;
    if (mode === 'off') {
      this.points.delete(name);
      return { ok: 1 };
    }
    let parsed: FailPoint['mode'];
    if (mode === 'alwaysOn') parsed = 'alwaysOn';
    else if (isPlainDoc(mode) && mode.times !== undefined) parsed = { times: toNumber(mode.times) };
    else if (isPlainDoc(mode) && mode.skip !== undefined) parsed = { skip: toNumber(mode.skip) };
    else throw badValue('mode must be alwaysOn, off, {times: n} or {skip: n}');
    const data = isPlainDoc(cmd.data) ? cmd.data : {};
    if (name === 'failCommand' && !Array.isArray(data.failCommands)) throw badValue('failCommand needs data.failCommands');
    this.points.set(name, { mode: parsed, data });
    return { ok: 1 };
  }

  /** The action for this command, if a fail point catches it (and counts the catch). */
  check(name: string, body: Doc, appName: string | undefined, isRetry = false): FailAction | undefined {
    if (this.points.size === 0) return undefined;
    // a retry answered from the session's record of the first execution never reaches the write
    const retryableWrite = RETRYABLE_WRITES.has(name) && body.txnNumber !== undefined && body.autocommit === undefined && !isRetry;
    // A retryable write fails before or after it commits, as mongod's onPrimaryTransactionalWrite.
    if (retryableWrite && this.take('onPrimaryTransactionalWrite')) {
      const d = this.lastData;
      const close = d.closeConnection !== false;
      if (d.failBeforeCommitExceptionCode !== undefined) {
        // the write is not applied; the client sees the dropped connection (or, without it, the error)
        if (close) return { closeConnection: true };
        const code = toNumber(d.failBeforeCommitExceptionCode);
        return { error: new MongoError(code, "Failing write via 'onPrimaryTransactionalWrite' failpoint", {}, labelsFor(code, name, body, undefined)) };
      }
      return close ? { closeAfter: true } : {};
    }
    // The getMore of a change stream fails after the cursor was found, as mongod's failGetMoreAfterCursorCheckout.
    if (name === 'getMore' && this.take('failGetMoreAfterCursorCheckout')) {
      const code = toNumber(this.lastData.errorCode ?? 1);
      // an error raised inside the change stream's getMore, which mongod labels when resumable
      // (failCommand errors are raised before the command runs, and carry only their own labels)
      const given = this.lastData.errorLabels;
      const labels = given === undefined && RESUMABLE_CODES.has(code) ? ['ResumableChangeStreamError'] : labelsFor(code, name, body, given);
      return { error: new MongoError(code, "Failing getMore via 'failGetMoreAfterCursorCheckout' failpoint", {}, labels) };
    }
    const fp = this.points.get('failCommand');
    if (!fp || !(fp.data.failCommands as unknown[]).includes(name)) return undefined;
    if (typeof fp.data.appName === 'string' && fp.data.appName !== appName) return undefined;
    if (!this.take('failCommand')) return undefined;
    const d = fp.data;
    const action: FailAction = {};
    if (d.blockConnection === true) action.blockMs = toNumber(d.blockTimeMS ?? 0);
    if (d.closeConnection === true) action.closeConnection = true;
    if (d.errorCode !== undefined) {
      const code = toNumber(d.errorCode);
      action.error = new MongoError(code, "Failing command via 'failCommand' failpoint", {}, labelsFor(code, name, body, d.errorLabels));
    }
    if (isPlainDoc(d.writeConcernError)) {
      action.writeConcernError = d.writeConcernError;
      const labels = labelsFor(toNumber(d.writeConcernError.code ?? 0), name, body, d.errorLabels);
      const txnControl = name === 'commitTransaction' || name === 'abortTransaction';
      if (labels && (body.autocommit === undefined || txnControl)) action.errorLabels = labels;
    }
    return action;
  }
}

const KNOWN = new Set(['failCommand', 'onPrimaryTransactionalWrite', 'failGetMoreAfterCursorCheckout']);
/** Change-stream errors after which a driver may resume (mongod labels them ResumableChangeStreamError). */
const RESUMABLE_CODES = new Set([6, 7, 43, 63, 89, 91, 133, 150, 189, 234, 262, 9001, 10107, 11600, 11602, 13388, 13435, 13436]);

/** The labels mongod would attach: the fail point's own when given, otherwise by code and context. */
function labelsFor(code: number, name: string, body: Doc, given: unknown): string[] | undefined {
  if (Array.isArray(given)) return given.map(String);
  const inTxn = body.autocommit === false;
  // a write conflict or a lost transaction: the whole transaction may run again
  if (inTxn && (code === 112 || code === 251) && name !== 'abortTransaction') return ['TransientTransactionError'];
  if (!RETRYABLE_CODES.has(code)) return undefined;
  if (name === 'commitTransaction' || name === 'abortTransaction') return ['RetryableWriteError'];
  if (inTxn) return ['TransientTransactionError'];
  if (RETRYABLE_WRITES.has(name) && body.txnNumber !== undefined) return ['RetryableWriteError'];
  return undefined;
}
