import { Schema, Types, type Connection, type Model } from 'mongoose';
import { INSTRUMENT_TYPES, STAGES, type InstrumentType, type Stage } from '../workflows/index.js';

export const CONFIDENTIALITY = ['public', 'internal', 'confidential'] as const;
export type Confidentiality = (typeof CONFIDENTIALITY)[number];
export const PARTY_KINDS = ['state', 'agency', 'organisation'] as const;
export const PARTY_STATUSES = ['pending', 'cleared', 'invited', 'signed', 'declined'] as const;
export type PartyStatus = (typeof PARTY_STATUSES)[number];
export const SIGNATURE_METHODS = ['wet_ink', 'electronic'] as const;
export const ENTRY_INTO_FORCE_BASES = ['on_signature', 'ratification_law', 'ratification_presidential_regulation', 'exchange_of_notes'] as const;
/** UU 24/2000 art. 9: an international agreement is ratified by a law or by a presidential regulation. */
export const RATIFICATION_KINDS = ['law', 'presidential_regulation'] as const;
export type RatificationKind = (typeof RATIFICATION_KINDS)[number];
/**
 * The limits of an agreement's fields wherever they enter: the API's Joi schemas
 * (server/routes/agreements.ts) and the import of a register (domain/imports) read them from here,
 * so a row of a spreadsheet cannot store what the form would refuse.
 */
export const AGREEMENT_LIMITS = {
  title: 500,
  partyName: 300,
  parties: 50,
  signatoryName: 200,
  signatoryTitle: 200,
  place: 200,
  /** one witness of a signing ("Presiden RI / President of the Republic of Indonesia"), and how many one signing may name */
  witness: 200,
  witnesses: 10,
  subject: 80,
  subjects: 50,
  languages: 10,
  noticeDays: 3650,
} as const;
/** An agreement code as stored: upper case (codes compare as the same whatever case they were typed in). */
export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{2,40}$/;
/** A unit's short name, e.g. PWNI: never '*', which the visibility rules read as "every unit". */
export const UNIT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}$/;
/** An authentic language: an ISO 639-1 (or 639-2) code. */
export const LANGUAGE_PATTERN = /^[a-z]{2,3}$/;
export const LINK_TYPES = ['implements', 'amends', 'renews', 'supersedes'] as const;
export type LinkType = (typeof LINK_TYPES)[number];

/**
 * The title in Indonesian and English (always) and in any other authentic language of the
 * agreement, keyed by its ISO 639-1 code (`ar`, `ms`...).
 */
export type Titles = { id: string; en: string } & Partial<Record<string, string>>;

export interface Signatory {
  name: string;
  title?: string;
  email?: string;
  timezone?: string;
  fullPowersRequired?: boolean;
}

export interface Party {
  _id: Types.ObjectId;
  name: string;
  /** the party's official name as written in its own script (e.g. Arabic), where `name` is another form */
  officialName?: string;
  kind: (typeof PARTY_KINDS)[number];
  country?: string;
  signatory?: Signatory;
  status: PartyStatus;
  statusAt?: Date;
  signature?: {
    signedAt: Date;
    place?: string;
    method: (typeof SIGNATURE_METHODS)[number];
    /** who witnessed the signing (heads of state at a ceremony), each "Indonesian / English" or in one language; the annual report names them */
    witnesses?: string[];
    recordedBy?: string;
    onBehalf?: boolean;
  };
  declineReason?: string;
}

export interface Round {
  number: number;
  date: Date;
  venue?: string;
  outcome?: string;
  draftIn?: string;
  draftOut?: string;
}

export interface Link {
  type: LinkType;
  agreementId: Types.ObjectId;
  code?: string;
  at?: Date;
  /** only in what a reader is shown: the target is an agreement this reader may not see (never stored) */
  restricted?: true;
}

/** The stored agreement, as `lean()` returns it. */
export interface AgreementRecord {
  _id: Types.ObjectId;
  code: string;
  type: InstrumentType;
  title: Titles;
  subjects: string[];
  leadUnit: string;
  confidentiality: Confidentiality;
  authenticLanguages: string[];
  parties: Party[];
  stage: Stage;
  stageEnteredAt: Date;
  /** stageEnteredAt + the stage's service-level days; absent when the stage has none (the "overdue" filter) */
  stageDueAt?: Date | null;
  previousStage?: Stage | null;
  rounds: Round[];
  /** when the last party signed (the separate facts per party live on each party) */
  signedAt?: Date | null;
  entryIntoForce?: { date?: Date | null; basis?: string | null } | null;
  /** the law (undang-undang) or presidential regulation (peraturan presiden) that ratified it, recorded on leaving pending_ratification */
  ratification?: { kind: RatificationKind; number: string; date: Date } | null;
  term?: { durationMonths?: number | null; expiresAt?: Date | null; noticePeriodDays?: number | null } | null;
  links: Link[];
  /** codes of the performance indices the agreement counts towards (models/performance-index.ts) */
  indices?: string[];
  remindersPaused: boolean;
  /** derived: lower-cased code, titles (every language) and party names (official names too), for free-text search by regex */
  searchText: string;
  /** derived: index keys for free-text search (heads of the words of searchText, see derived-fields.ts) */
  searchTerms: string[];
  /** derived: lower-cased party names and countries, for the exact "party" filter */
  partyKeys: string[];
  /** derived: '*' for everyone, or the lead unit for confidential agreements */
  audience: string;
  version: number;
  createdBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * A projection that leaves out the search fields, the bulk of a stored agreement that no reader
 * needs: reads pass it so that neither the database nor the driver carries them around.
 */
export const WITHOUT_SEARCH_FIELDS = { searchText: 0, searchTerms: 0 } as const;

const signatorySchema = new Schema(
  {
    name: { type: String, required: true },
    title: String,
    email: { type: String, lowercase: true, trim: true },
    timezone: String,
    fullPowersRequired: { type: Boolean, default: false },
  },
  { _id: false },
);

const partySchema = new Schema(
  {
    name: { type: String, required: true },
    officialName: String,
    kind: { type: String, enum: PARTY_KINDS, required: true },
    country: { type: String, uppercase: true },
    signatory: signatorySchema,
    status: { type: String, enum: PARTY_STATUSES, default: 'pending' },
    statusAt: Date,
    signature: new Schema(
      {
        signedAt: { type: Date, required: true },
        place: String,
        method: { type: String, enum: SIGNATURE_METHODS, required: true },
        // left out, not stored empty, when no one is named
        witnesses: { type: [String], default: undefined },
        recordedBy: String,
        onBehalf: Boolean,
      },
      { _id: false },
    ),
    declineReason: String,
  },
  // Not 'throw' on subdocuments: mongoose's rollback of an aborted transaction sets __v on them and would mask the real error.
  {},
);

const roundSchema = new Schema(
  { number: { type: Number, required: true }, date: { type: Date, required: true }, venue: String, outcome: String, draftIn: String, draftOut: String },
  { _id: false },
);

const linkSchema = new Schema(
  { type: { type: String, enum: LINK_TYPES, required: true }, agreementId: { type: Schema.Types.ObjectId, required: true }, code: String, at: Date },
  { _id: false },
);

const agreementSchema = new Schema<AgreementRecord>(
  {
    code: { type: String, required: true, trim: true },
    type: { type: String, enum: INSTRUMENT_TYPES, required: true },
    // further languages beside id and en are free keys (checked against authenticLanguages in the domain)
    title: { type: new Schema({ id: { type: String, required: true }, en: { type: String, required: true } }, { _id: false, strict: false }), required: true },
    subjects: { type: [String], default: [] },
    leadUnit: { type: String, required: true },
    confidentiality: { type: String, enum: CONFIDENTIALITY, default: 'internal' },
    authenticLanguages: { type: [String], default: [] },
    parties: { type: [partySchema], default: [] },
    stage: { type: String, enum: STAGES, required: true },
    stageEnteredAt: { type: Date, required: true },
    stageDueAt: Date,
    previousStage: { type: String, enum: [...STAGES, null] },
    rounds: { type: [roundSchema], default: [] },
    signedAt: Date,
    entryIntoForce: { date: Date, basis: { type: String, enum: [...ENTRY_INTO_FORCE_BASES, null] } },
    ratification: {
      type: new Schema({ kind: { type: String, enum: RATIFICATION_KINDS, required: true }, number: { type: String, required: true }, date: { type: Date, required: true } }, { _id: false }),
      default: undefined,
    },
    term: { durationMonths: Number, expiresAt: Date, noticePeriodDays: Number },
    links: { type: [linkSchema], default: [] },
    indices: { type: [String], default: [] },
    remindersPaused: { type: Boolean, default: false },
    searchText: { type: String, default: '' },
    searchTerms: { type: [String], default: [] },
    partyKeys: { type: [String], default: [] },
    audience: { type: String, required: true },
    version: { type: Number, required: true, default: 1 },
    createdBy: String,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  // Business time comes from the injected clock, so timestamps are set by the domain.
  { strict: 'throw', versionKey: false, timestamps: false, collection: 'agreements' },
);

agreementSchema.index({ code: 1 }, { unique: true });
// Pages: an equality on the filter field, walked in (updatedAt, _id) order so sort + limit stop
// early; _id breaks ties between equal times, so pages neither repeat nor skip an agreement.
agreementSchema.index({ updatedAt: -1, _id: -1 });
agreementSchema.index({ stage: 1, updatedAt: -1, _id: -1 });
agreementSchema.index({ type: 1, updatedAt: -1, _id: -1 });
agreementSchema.index({ leadUnit: 1, updatedAt: -1, _id: -1 });
// A party page too (the multikey partyKeys pinned to one value, so the walk still gives the
// order). Without it a page of one country's agreements walked { updatedAt, _id } through
// every other agreement until it had 50: about 2,000 entries at 100,000 agreements, a third of
// the database's work for the page. Its entries (one per party key, four or so) are rewritten
// whenever updatedAt changes. At 100,000 agreements the transitions' share of a bare route was
// 3.0 % with the index and 2.5 % in the run before without it: runs swing more than that, so the
// cost of the extra entries is too small to tell from the noise.
agreementSchema.index({ partyKeys: 1, updatedAt: -1, _id: -1 });
// Totals for non-admins: filter field plus audience, so counting needs no document reads (on the
// embedded server and MongoDB alike, also for the multikey partyKeys).
agreementSchema.index({ audience: 1 });
agreementSchema.index({ stage: 1, audience: 1 });
agreementSchema.index({ type: 1, audience: 1 });
agreementSchema.index({ partyKeys: 1, audience: 1 });
// Free text: the agreements holding the query's key (see searchKeyOf in derived-fields.ts).
agreementSchema.index({ searchTerms: 1 });
agreementSchema.index({ 'parties.country': 1 });
agreementSchema.index({ subjects: 1 });
agreementSchema.index({ stageDueAt: 1 });
agreementSchema.index({ 'links.agreementId': 1 });
// Reports: what was signed, entered into force or ends in a period, found by its date.
agreementSchema.index({ signedAt: 1 });
agreementSchema.index({ 'entryIntoForce.date': 1 });
agreementSchema.index({ 'term.expiresAt': 1 });
// A signatory's own list (GET /api/me/signatures).
agreementSchema.index({ 'parties.signatory.email': 1 });

export type AgreementModel = Model<AgreementRecord>;

export const agreementModel = (conn: Connection): AgreementModel =>
  (conn.models.Agreement as AgreementModel | undefined) ?? conn.model<AgreementRecord>('Agreement', agreementSchema);
