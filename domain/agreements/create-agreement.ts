import { Types } from 'mongoose';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import { AppError } from '../errors.js';
import { checkTerm } from './term-rules.js';
import type { AgreementRecord, Confidentiality, Titles } from '../../models/agreement.js';
import { checkTitleLanguages } from './titles.js';
import type { InstrumentType } from '../../workflows/index.js';
import { appendHistoryEvent } from '../history/append-history-event.js';
import type { BusinessCalendar } from '../../workflows/business-days.js';
import { loadBusinessCalendar } from '../deadlines/business-calendar.js';
import { derivedFields, stageDueAt } from './derived-fields.js';
import { generateCode } from './generate-code.js';
import { assertMayLeadIn } from './lead-unit-rules.js';
import { newParty, type PartyInput } from './party-input.js';
import { syncStageDeadlines } from '../deadlines/sync-stage-deadlines.js';
import { inTransaction, isDuplicateKey } from '../../lib/transaction.js';

export interface CreateAgreementInput {
  code?: string;
  type: InstrumentType;
  title: Titles;
  subjects?: string[];
  leadUnit?: string;
  confidentiality?: Confidentiality;
  authenticLanguages?: string[];
  parties: PartyInput[];
  entryIntoForce?: { date?: Date; basis?: string };
  term?: { durationMonths?: number; expiresAt?: Date; noticePeriodDays?: number };
  remindersPaused?: boolean;
}

const CODE_ATTEMPTS = 5;

/** Registers an agreement in `drafting`. Without a code one is generated; a generated code that is taken is retried. */
export async function createAgreement(ctx: DomainContext, actor: Actor, input: CreateAgreementInput): Promise<AgreementRecord> {
  if (input.leadUnit !== undefined) assertMayLeadIn(actor, input.leadUnit);
  if (input.term) checkTerm({ term: input.term, entryIntoForce: input.entryIntoForce ?? null, signedAt: null } as Parameters<typeof checkTerm>[0]);
  for (let attempt = 1; ; attempt++) {
    const code = input.code ?? (await generateCode(ctx, input.type, input.parties));
    try {
      return await insertAgreement(ctx, actor, input, code);
    } catch (err) {
      if (!isDuplicateKey(err, 'code')) throw err;
      if (input.code || attempt >= CODE_ATTEMPTS) {
        throw new AppError('duplicate', `Code ${code} is already used / Kode ${code} sudah dipakai`, { fields: ['code'] });
      }
    }
  }
}

function buildRecord(ctx: DomainContext, actor: Actor, input: CreateAgreementInput, code: string, calendar: BusinessCalendar): AgreementRecord {
  const now = ctx.clock.now();
  const base = {
    _id: new Types.ObjectId(),
    code,
    type: input.type,
    title: input.title,
    subjects: input.subjects ?? [],
    leadUnit: input.leadUnit ?? actor.unit,
    confidentiality: input.confidentiality ?? 'internal',
    authenticLanguages: input.authenticLanguages ?? ['id', 'en'],
    parties: input.parties.map((p) => newParty(p, now)),
    stage: 'drafting' as const,
    stageEnteredAt: now,
    stageDueAt: stageDueAt(input, 'drafting', now, calendar),
    previousStage: null,
    rounds: [],
    ...(input.entryIntoForce ? { entryIntoForce: input.entryIntoForce } : {}),
    ...(input.term ? { term: input.term } : {}),
    links: [],
    remindersPaused: input.remindersPaused ?? false,
    version: 1,
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
  };
  return { ...base, ...derivedFields(base) };
}

async function insertAgreement(ctx: DomainContext, actor: Actor, input: CreateAgreementInput, code: string): Promise<AgreementRecord> {
  const calendar = await loadBusinessCalendar(ctx);
  const record = buildRecord(ctx, actor, input, code, calendar);
  checkTitleLanguages(record.title, record.authenticLanguages);
  return inTransaction(ctx, async (session) => {
    const [created] = await ctx.models.Agreement.create([record], { session });
    const stored = created.toObject() as AgreementRecord;
    const { _id, code: c, type, title, leadUnit, confidentiality, parties } = record;
    await appendHistoryEvent(
      ctx,
      {
        agreementId: _id,
        actor,
        action: 'created',
        changes: { code: c, type, title, leadUnit, confidentiality, stage: 'drafting', parties: parties.map((p) => ({ id: p._id, name: p.name })) },
        at: record.createdAt,
        leadUnit,
      },
      session,
    );
    // Entering the first stage is a stage change too: the deadline rules open its deadline.
    await syncStageDeadlines(ctx, { agreementId: String(_id), agreement: stored, from: '', to: 'drafting', actor, at: record.createdAt, calendar }, session);
    return stored;
  });
}
