import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { Role } from '../../workflows/permissions.js';
import { canSee } from '../agreements/get-visible-agreement.js';

type Visibility = Pick<AgreementRecord, 'confidentiality' | 'leadUnit'>;
interface Account {
  role: Role;
  unit: string;
  disabled: boolean;
}

/**
 * Who may be told about an agreement. A reminder carries the agreement's code, titles, stage and
 * the deadline's note, so it goes only to people who may read the agreement itself: an account
 * that could not (a confidential agreement of another unit, or a disabled account) gets nothing,
 * by any channel. An address with no account is someone the editor named from outside the
 * tracker (a counterpart's signatory) and is not refused here.
 */
export class RecipientAccess {
  private readonly accounts = new Map<string, Account | null>();

  constructor(private readonly ctx: DomainContext) {}

  /** Reads the accounts behind these addresses (once each). */
  async load(emails: Iterable<string>): Promise<void> {
    const missing = [...new Set([...emails].map((e) => e.toLowerCase()))].filter((e) => !this.accounts.has(e));
    if (missing.length === 0) return;
    const users = await this.ctx.models.User.find({ email: mongoose.trusted({ $in: missing }) }, { email: 1, role: 1, unit: 1, disabled: 1 }).lean();
    for (const e of missing) this.accounts.set(e, null);
    for (const u of users) this.accounts.set(u.email, { role: u.role as Role, unit: u.unit, disabled: Boolean(u.disabled) });
  }

  /** May this (loaded) address be told about the agreement now? */
  mayReceive(email: string, agreement: Visibility): boolean {
    const account = this.accounts.get(email.toLowerCase());
    if (!account) return true;
    return !account.disabled && canSee({ role: account.role, unit: account.unit } as Parameters<typeof canSee>[0], agreement);
  }

  /** Whether this (loaded) address is an account that cannot see the agreement (disabled accounts aside: they may be enabled again). */
  barredAccount(email: string, agreement: Visibility): boolean {
    const account = this.accounts.get(email.toLowerCase());
    return Boolean(account) && !canSee({ role: account!.role, unit: account!.unit } as Parameters<typeof canSee>[0], agreement);
  }
}

/** 422 naming every recipient whose account may not see the agreement (deadline created or changed). */
export async function assertRecipientsMaySee(ctx: DomainContext, agreement: Visibility, recipients: Array<{ email: string }>): Promise<void> {
  if (agreement.confidentiality !== 'confidential') return;
  const access = new RecipientAccess(ctx);
  await access.load(recipients.map((r) => r.email));
  const barred = recipients.map((r, i) => ({ email: r.email.toLowerCase(), i })).filter((r) => access.barredAccount(r.email, agreement));
  if (barred.length === 0) return;
  throw new AppError(
    'validation_failed',
    `These recipients may not see this confidential agreement: ${barred.map((b) => b.email).join(', ')} / Penerima ini tidak berhak melihat perjanjian rahasia ini: ${barred.map((b) => b.email).join(', ')}`,
    barred.map((b) => ({
      field: `recipients.${b.i}`,
      message: `${b.email} may not see this confidential agreement / ${b.email} tidak berhak melihat perjanjian rahasia ini`,
      type: 'recipient.no_access',
    })),
  );
}
