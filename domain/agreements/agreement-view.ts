import type { AgreementRecord, Party } from '../../models/agreement.js';

/** A party as the API shows it. */
export function toPartyView(p: Party) {
  return {
    id: String(p._id),
    name: p.name,
    kind: p.kind,
    country: p.country ?? null,
    signatory: p.signatory ?? null,
    status: p.status,
    statusAt: p.statusAt ?? null,
    signature: p.signature ? { signedAt: p.signature.signedAt, place: p.signature.place ?? null, method: p.signature.method } : null,
    declineReason: p.declineReason ?? null,
  };
}

/** An agreement as the API shows it: `id` instead of `_id`, derived search fields left out. */
export function toAgreementView(a: AgreementRecord) {
  return {
    id: String(a._id),
    code: a.code,
    type: a.type,
    title: { id: a.title.id, en: a.title.en },
    subjects: a.subjects ?? [],
    leadUnit: a.leadUnit,
    confidentiality: a.confidentiality,
    authenticLanguages: a.authenticLanguages ?? [],
    parties: (a.parties ?? []).map(toPartyView),
    stage: a.stage,
    stageEnteredAt: a.stageEnteredAt,
    stageDueAt: a.stageDueAt ?? null,
    previousStage: a.previousStage ?? null,
    rounds: a.rounds ?? [],
    signedAt: a.signedAt ?? null,
    entryIntoForce: a.entryIntoForce?.date || a.entryIntoForce?.basis ? a.entryIntoForce : null,
    term: a.term ?? null,
    links: (a.links ?? []).map((l) => ({ type: l.type, agreementId: String(l.agreementId), code: l.code ?? null, at: l.at ?? null })),
    remindersPaused: a.remindersPaused ?? false,
    version: a.version,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

export type AgreementView = ReturnType<typeof toAgreementView>;
