import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord, LinkType } from '../../models/agreement.js';
import type { Stage } from '../../workflows/index.js';
import { canSee } from './get-visible-agreement.js';

/** Another agreement's link to this one: "TA-SA-2022-01 renews this". */
export interface IncomingLink {
  type: LinkType;
  /** the agreement holding the link */
  agreementId: string;
  code: string;
  title: { id: string; en: string };
  stage: Stage;
  at: Date | null;
}

type Linking = Pick<AgreementRecord, '_id' | 'code' | 'title' | 'stage' | 'links' | 'confidentiality' | 'leadUnit'>;

/**
 * The links other agreements hold to this one, so a link reads from both ends: the 2018 Saudi
 * arrangement shows that the 2022 one renews it. Links are stored once, on the newer instrument
 * (where the drafter records them); this reads the other end through the `links.agreementId`
 * index. A confidential agreement the reader may not see is left out, as everywhere.
 */
export async function listIncomingLinks(ctx: DomainContext, actor: Actor, agreement: Pick<AgreementRecord, '_id'>): Promise<IncomingLink[]> {
  const others = await ctx.models.Agreement.find(
    { 'links.agreementId': agreement._id },
    { code: 1, title: 1, stage: 1, links: 1, confidentiality: 1, leadUnit: 1 },
  )
    .sort({ _id: 1 })
    .lean<Linking[]>();
  const id = String(agreement._id);
  return others
    .filter((other) => canSee(actor, other))
    .flatMap((other) =>
      (other.links ?? [])
        .filter((l) => String(l.agreementId) === id)
        .map((l) => ({ type: l.type, agreementId: String(other._id), code: other.code, title: { id: other.title.id, en: other.title.en }, stage: other.stage, at: l.at ?? null })),
    );
}
