import request from 'supertest';
import type { TestApp } from './app.js';
import { createUser, loginAs, type TestUser } from './users.js';
import { bearer, createAgreementVia } from './agreements.js';

/**
 * A drafter with one agreement and two reminders in their notifications: custom deadlines due in
 * six hours ("Tanggapan Biro Hukum", "Tanggapan Kemnaker"), swept as the daily sweep would.
 */
export async function drafterWithTwoReminders(t: TestApp, title: { id: string; en: string }): Promise<TestUser> {
  const drafter = await createUser(t, { role: 'drafter', name: 'Rina Perancang' });
  const token = (await loginAs(t, 'drafter', { user: drafter })).token;
  const a = await createAgreementVia(t, token, { title });
  for (const note of ['Tanggapan Biro Hukum', 'Tanggapan Kemnaker']) {
    const dueAt = new Date(Date.now() + 6 * 60 * 60 * 1000).toISOString();
    const created = await request(t.app).post(`/api/agreements/${a.id}/deadlines`).set(bearer(token)).send({ kind: 'custom', dueAt, note });
    if (created.status !== 201) throw new Error(`deadline: ${created.status} ${JSON.stringify(created.body)}`);
  }
  const admin = await loginAs(t, 'admin');
  const swept = await request(t.app).post('/api/reminders/sweep').set(bearer(admin.token));
  if (swept.status !== 200) throw new Error(`sweep: ${swept.status} ${JSON.stringify(swept.body)}`);
  return drafter;
}
