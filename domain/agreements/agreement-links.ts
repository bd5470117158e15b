import { Types } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord, LinkType } from '../../models/agreement.js';
import type { Stage } from '../../workflows/index.js';
import { canSee, checkedId, notFound } from './get-visible-agreement.js';
import { WITHOUT_SEARCH_FIELDS } from '../../models/agreement.js';

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
type LinkTarget = Pick<AgreementRecord, '_id' | 'confidentiality' | 'leadUnit'>;

/** An agreement with its links as one reader sees them. */
export interface AgreementWithLinks {
  /** links to agreements hidden from the reader redacted (no id, no code) */
  agreement: AgreementRecord;
  /** the links other agreements hold to this one, those hidden from the reader left out */
  linkedFrom: IncomingLink[];
}

/**
 * What a link shows, read with the agreement itself in one aggregate (no round trip per end):
 * - `linkingAgreements`: the agreements holding a link to it (links are stored once, on the newer
 *   instrument, where the drafter records them), through the `links.agreementId` index;
 * - `confidentialTargets`: the agreements it links to that are confidential, through `_id`, so
 *   that a link to one the reader may not see is redacted.
 */
function linkLookups(collection: string) {
  return [
    {
      $lookup: {
        from: collection,
        localField: '_id',
        foreignField: 'links.agreementId',
        as: 'linkingAgreements',
        pipeline: [{ $project: { code: 1, title: 1, stage: 1, links: 1, confidentiality: 1, leadUnit: 1 } }],
      },
    },
    {
      $lookup: {
        from: collection,
        localField: 'links.agreementId',
        foreignField: '_id',
        as: 'confidentialTargets',
        pipeline: [{ $match: { confidentiality: 'confidential' } }, { $project: { confidentiality: 1, leadUnit: 1 } }],
      },
    },
  ];
}

interface Joined {
  linkingAgreements: Linking[];
  confidentialTargets: LinkTarget[];
}

/** The joined ends as `actor` may see them; `agreement` is returned as is when nothing is hidden. */
function asSeenBy(actor: Actor, agreement: AgreementRecord, joined: Joined): AgreementWithLinks {
  const id = String(agreement._id);
  const linkedFrom = [...joined.linkingAgreements]
    .sort((a, b) => (String(a._id) < String(b._id) ? -1 : 1))
    .filter((other) => canSee(actor, other))
    .flatMap((other) =>
      (other.links ?? [])
        .filter((l) => String(l.agreementId) === id)
        .map((l) => ({ type: l.type, agreementId: String(other._id), code: other.code, title: { id: other.title.id, en: other.title.en }, stage: other.stage, at: l.at ?? null })),
    );
  const hidden = new Set(joined.confidentialTargets.filter((t) => !canSee(actor, t)).map((t) => String(t._id)));
  if (hidden.size === 0) return { agreement, linkedFrom };
  const links = (agreement.links ?? []).map((l) => (hidden.has(String(l.agreementId)) ? { type: l.type, at: l.at, restricted: true } : l)) as AgreementRecord['links'];
  return { agreement: { ...agreement, links }, linkedFrom };
}

/**
 * The agreement with both ends of its links, in one read (GET /api/agreements/:id). Not found,
 * malformed id and another unit's confidential agreement answer alike (see getVisibleAgreement).
 */
export async function getVisibleAgreementWithLinks(ctx: DomainContext, actor: Actor, id: string | Types.ObjectId): Promise<AgreementWithLinks> {
  const { Agreement } = ctx.models;
  // through the driver, as loadSession: mongoose's Aggregate wrapper adds nothing to this per-request read
  const [found] = (await Agreement.collection
    .aggregate([{ $match: { _id: new Types.ObjectId(checkedId(id)) } }, { $project: WITHOUT_SEARCH_FIELDS }, ...linkLookups(Agreement.collection.collectionName)])
    .toArray()) as Array<AgreementRecord & Joined>;
  if (!found || !canSee(actor, found)) throw notFound();
  const { linkingAgreements, confidentialTargets, ...agreement } = found;
  return asSeenBy(actor, agreement as AgreementRecord, { linkingAgreements, confidentialTargets });
}

/**
 * Both ends of the links of an agreement just written (the answer to a change), in one read.
 * The agreement itself is not read again: `agreement` is what the write returned.
 */
export async function withLinksAsSeenBy(ctx: DomainContext, actor: Actor, agreement: AgreementRecord): Promise<AgreementWithLinks> {
  const { Agreement } = ctx.models;
  const [joined] = await Agreement.aggregate<Joined>([
    { $match: { _id: agreement._id } },
    { $project: { links: 1 } },
    ...linkLookups(Agreement.collection.collectionName),
    { $project: { linkingAgreements: 1, confidentialTargets: 1 } },
  ]);
  return asSeenBy(actor, agreement, joined ?? { linkingAgreements: [], confidentialTargets: [] });
}
