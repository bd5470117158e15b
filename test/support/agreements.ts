import request from 'supertest';
import type { TestApp } from './app.js';
import { uploadMissingFinalTexts } from './documents.js';

/** A valid create body; parties get signatories unless the override says otherwise. */
export function buildAgreement(overrides: Record<string, unknown> = {}): Record<string, any> {
  return {
    type: 'mou',
    title: { id: 'Nota Kesepahaman Uji', en: 'Test Memorandum of Understanding' },
    leadUnit: 'PWNI',
    subjects: ['pelindungan'],
    authenticLanguages: ['id', 'en'],
    parties: [
      { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri', title: 'Minister', email: 'menteri.id@test.local' } },
      { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Minister', title: 'Minister', email: 'minister.my@test.local' } },
    ],
    ...overrides,
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

/** Creates an agreement through the API and returns its body. */
export async function createAgreementVia(t: TestApp, token: string, overrides: Record<string, unknown> = {}) {
  const res = await request(t.app).post('/api/agreements').set(bearer(token)).send(buildAgreement(overrides));
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function moveVia(t: TestApp, token: string, id: string, to: string, extra: Record<string, unknown> = {}) {
  const res = await request(t.app).post(`/api/agreements/${id}/transitions`).set(bearer(token)).send({ to, ...extra });
  if (res.status !== 200) throw new Error(`move to ${to} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function patchVia(t: TestApp, token: string, id: string, body: Record<string, unknown>) {
  const current = await request(t.app).get(`/api/agreements/${id}`).set(bearer(token));
  const res = await request(t.app).patch(`/api/agreements/${id}`).set(bearer(token)).send({ version: current.body.version, ...body });
  if (res.status !== 200) throw new Error(`patch failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The international path to awaiting_signature, uploading on the way a final text for every authentic language that has none. */
export async function toAwaitingSignature(t: TestApp, token: string, id: string) {
  await moveVia(t, token, id, 'negotiation');
  await moveVia(t, token, id, 'legal_review');
  await uploadMissingFinalTexts(t, token, id);
  await moveVia(t, token, id, 'text_agreed');
  return moveVia(t, token, id, 'awaiting_signature');
}

export async function signVia(t: TestApp, token: string, id: string, partyId: string, body: Record<string, unknown> = {}) {
  return request(t.app)
    .post(`/api/agreements/${id}/parties/${partyId}/signature`)
    .set(bearer(token))
    .send({ signedAt: t.ctx.clock.now().toISOString(), place: 'Bogor', method: 'wet_ink', ...body });
}
