import mongoose from 'mongoose';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { isAllowed, ROLE_NAMES, type Role } from '../../workflows/permissions.js';
import { canSee } from './get-visible-agreement.js';
import type { Bilingual } from '../../workflows/types.js';

/** Something about a saved agreement that does not stop it being saved, but that its editor should know. */
export interface SignatoryWarning {
  /** the field as a validation detail names it: `parties.1.signatory.email` */
  field: string;
  /**
   * `signatory.cannot_sign`: the address is an account whose role may not record signatures;
   * `signatory.cannot_see`: an account of another unit, which may not see this confidential agreement
   */
  type: 'signatory.cannot_sign' | 'signatory.cannot_see';
  email: string;
  role: Role;
  message: Bilingual;
}

/**
 * The parties whose signatory e-mail is an account that may not record signatures (a diplomat or an
 * auditor): matched by that address, the person is the party's designated signatory, yet the
 * signature route refuses their role, so they could never sign in the tracker, and the signing
 * reminders would still go to them. Warned of, not refused: a drafter can still record the
 * signature on the party's behalf, and an administrator may give the account the signatory role.
 * Drafters and admins may record signatures, their own included, so their addresses are fine; an
 * address with no account is a counterpart's and is none of the tracker's business. The same holds
 * for an account of another unit named on a confidential agreement: it may not even see it.
 */
export async function findSignatoryWarnings(ctx: DomainContext, agreement: Pick<AgreementRecord, 'parties' | 'confidentiality' | 'leadUnit'>): Promise<SignatoryWarning[]> {
  const waiting = agreement.parties.flatMap((p, i) => (p.signatory?.email && p.status !== 'signed' ? [{ p, i, email: p.signatory.email.toLowerCase() }] : []));
  if (waiting.length === 0) return [];
  const users = await ctx.models.User.find({ email: mongoose.trusted({ $in: [...new Set(waiting.map((x) => x.email))] }) }, { email: 1, role: 1, unit: 1 }).lean<Array<{ email: string; role: Role; unit: string }>>();
  const accounts = new Map(users.map((u) => [u.email, u]));
  const lead = agreement.leadUnit;
  return waiting.flatMap(({ p, i, email }): SignatoryWarning[] => {
    const account = accounts.get(email);
    if (!account) return [];
    const { role, unit } = account;
    const warn = (type: SignatoryWarning['type'], message: Bilingual): SignatoryWarning[] => [{ field: `parties.${i}.signatory.email`, type, email, role, message }];
    if (!isAllowed(role, 'recordSignature')) {
      const name = ROLE_NAMES[role];
      return warn('signatory.cannot_sign', {
        id: `Penanda tangan ${p.name} (${email}) memiliki akun berperan “${name.id}”, yang tidak dapat mencatat tanda tangan: ia tidak akan dapat menandatangani di pelacak. Perancang dapat mencatat tanda tangan itu atas nama pihaknya, atau administrator dapat mengubah peran akun itu menjadi “${ROLE_NAMES.signatory.id}”.`,
        en: `The signatory of ${p.name} (${email}) has an account with the role “${name.en}”, which cannot record signatures: they will not be able to sign in the tracker. A legal drafter can record the signature on the party’s behalf, or an administrator can give the account the role “${ROLE_NAMES.signatory.en}”.`,
      });
    }
    if (canSee(account, agreement)) return [];
    return warn('signatory.cannot_see', {
      id: `Penanda tangan ${p.name} (${email}) memiliki akun unit ${unit}, yang tidak dapat melihat perjanjian rahasia unit ${lead} ini: ia tidak akan dapat menandatanganinya di pelacak. Perancang dapat mencatat tanda tangan itu atas nama pihaknya, atau administrator dapat memindahkan akun itu ke unit ${lead}.`,
      en: `The signatory of ${p.name} (${email}) has an account in the unit ${unit}, which cannot see this confidential agreement of ${lead}: they will not be able to sign it in the tracker. A legal drafter can record the signature on the party’s behalf, or an administrator can move the account to ${lead}.`,
    });
  });
}
