/** Session and transaction commands; the state they act on is the TxnCoordinator's (txn/coordinator.ts). */
import type { Doc } from '../bson/codec.js';
import { sessionKey } from '../txn/sessions.js';
import type { Handler } from './context.js';

/** endSessions / killSessions: each listed session ends (its transaction aborted, its cursors killed). */
export const endSessions: Handler = (cmd, ctx) => {
  const list = cmd[ctx.name];
  if (Array.isArray(list)) {
    for (const lsid of list) {
      const k = sessionKey({ id: (lsid as Doc)?.id });
      if (k) ctx.server.txns.endSession(k);
    }
  }
  return { ok: 1 };
};

export const killAllSessions: Handler = (_cmd, ctx) => {
  ctx.server.txns.endAllSessions();
  return { ok: 1 };
};

/** Sessions expire after 30 idle minutes counted from their last command; a refresh changes nothing here. */
export const refreshSessions: Handler = () => ({ ok: 1 });

/** The coordinator has resolved ctx.txn from the command's txnNumber. */
export const commitTransaction: Handler = (cmd, ctx) => ctx.server.txns.commit(ctx.txn, cmd.txnNumber);

export const abortTransaction: Handler = (cmd, ctx) => ctx.server.txns.abort(ctx.txn, cmd.txnNumber);
