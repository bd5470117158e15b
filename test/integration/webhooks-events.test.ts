import crypto from 'node:crypto';
import { expect } from 'chai';
import request from 'supertest';
import { ManualClock } from '../../lib/clock.js';
import { sweepReminders } from '../../domain/reminders/sweep-reminders.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, signVia } from '../support/agreements.js';
import { uploadFinalTexts } from '../support/documents.js';
import { startWebhookReceiver, type ReceivedHook } from '../support/reminders.js';

const SECRET = 'a-webhook-secret-of-some-length';

/** Delivery happens after the commit, in the background: wait (up to 10 s) until the receiver has what the test expects. */
async function until(what: string, done: () => boolean): Promise<void> {
  const limit = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const body = (h: ReceivedHook) => JSON.parse(h.body);
const verified = (h: ReceivedHook) => h.headers['x-signature-sha256'] === 'sha256=' + crypto.createHmac('sha256', SECRET).update(h.body).digest('hex');

describe('webhooks: signed change events from an outbox, delivered after commit and retried', () => {
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let t: TestApp;
  let drafter: string;
  const ofAgreement = (id: string) => receiver.received.filter((h) => body(h).agreement?.id === id);

  before(async () => {
    receiver = await startWebhookReceiver();
    t = await createTestApp({ label: 'hook-events', env: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET } });
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
  });
  after(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('when a stage changes, then the receiver gets one signed agreement.stage_changed event whose id is its delivery id', async () => {
    const a = await createAgreementVia(t, drafter, { code: 'MOU-HOOK-2026-01' });
    await moveVia(t, drafter, a.id, 'negotiation', { note: 'Putaran pertama' });
    await until('the stage change', () => ofAgreement(a.id).length === 1);
    const [hook] = ofAgreement(a.id);
    expect(verified(hook), 'HMAC-SHA256 of the raw body').to.equal(true);
    const event = body(hook);
    expect(event.id).to.match(/^[0-9a-f-]{36}$/);
    expect(hook.headers['x-delivery-id']).to.equal(event.id);
    expect(event).to.deep.include({ type: 'agreement.stage_changed', data: { from: 'drafting', to: 'negotiation', trigger: 'manual', note: 'Putaran pertama' } });
    expect(event.agreement).to.deep.include({ id: a.id, code: 'MOU-HOOK-2026-01', stage: 'negotiation', version: 2 });
    expect(event.actor).to.deep.equal({ name: event.actor.name, role: 'drafter' });
    // The outcome is recorded once the receiver's answer is in: wait for it.
    const admin = (await loginAs(t, 'admin')).token;
    let row: any;
    for (let i = 0; i < 200 && row?.status !== 'sent'; i++) {
      if (i) await new Promise((r) => setTimeout(r, 20));
      row = (await request(t.app).get('/api/webhooks/events').set(bearer(admin))).body.items.find((e: any) => e.eventId === event.id);
    }
    expect(row).to.deep.include({ type: 'agreement.stage_changed', status: 'sent', attempts: 1 });
    expect(row.agreement.code).to.equal('MOU-HOOK-2026-01');
  });

  it('when a document version, signatures and a decline follow, then each is announced, in the order it happened', async () => {
    const a = await createAgreementVia(t, drafter, {
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri', email: 'menteri.id@test.local' } },
        { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Minister', email: 'minister.my@test.local' } },
        { name: 'Filipina', kind: 'state', country: 'PH', signatory: { name: 'Secretary', email: 'dfa.ph@test.local' } },
      ],
    });
    await moveVia(t, drafter, a.id, 'negotiation');
    await moveVia(t, drafter, a.id, 'legal_review');
    await uploadFinalTexts(t, drafter, a.id, ['id', 'en']);
    await until('the upload', () => ofAgreement(a.id).some((h) => body(h).type === 'document.version_added'));
    const upload = body(ofAgreement(a.id).find((h) => body(h).type === 'document.version_added')!);
    expect(upload.data.document).to.deep.include({ kind: 'final', language: 'id', version: 1 });
    expect(upload.data.document.sha256).to.match(/^[0-9a-f]{64}$/);

    await moveVia(t, drafter, a.id, 'text_agreed');
    const ready = await moveVia(t, drafter, a.id, 'awaiting_signature');
    expect((await signVia(t, drafter, a.id, ready.parties[0].id)).status).to.equal(200);
    const declined = await request(t.app).post(`/api/agreements/${a.id}/parties/${ready.parties[1].id}/decline`).set(bearer(drafter)).send({ reason: 'Pasal 5' });
    expect(declined.status).to.equal(200);
    const expected = [
      'agreement.stage_changed:negotiation',
      'agreement.stage_changed:legal_review',
      'document.version_added',
      'document.version_added',
      'agreement.stage_changed:text_agreed',
      'agreement.stage_changed:awaiting_signature',
      'agreement.signature_recorded',
      'agreement.stage_changed:partially_signed',
      'agreement.signature_declined',
      'agreement.stage_changed:negotiation',
    ];
    await until('every event', () => ofAgreement(a.id).length >= expected.length);
    const seen = ofAgreement(a.id).map(body);
    expect(seen.map((e) => `${e.type}${e.data.to ? `:${e.data.to}` : ''}`)).to.deep.equal(expected);
    const signature = seen[6];
    expect(signature.data).to.deep.include({ party: { id: ready.parties[0].id, name: 'Republik Indonesia' }, method: 'wet_ink', place: 'Bogor', allSigned: false });
    expect(signature.agreement).to.deep.include({ stage: 'partially_signed' });
    expect(seen[8].data).to.deep.equal({ party: { id: ready.parties[1].id, name: 'Malaysia' }, reason: 'Pasal 5', outcome: 'reopen' });
    expect(new Set(seen.map((e) => e.id)).size, 'every event has its own id').to.equal(seen.length);
    expect(ofAgreement(a.id).every(verified)).to.equal(true);
  });

  it('when a move is refused, then nothing is announced: the outbox is written in the same transaction as the change', async () => {
    const a = await createAgreementVia(t, drafter);
    const before = await t.ctx.models.WebhookEvent.countDocuments({});
    const refused = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ to: 'in_force' });
    expect(refused.status).to.equal(409);
    expect(await t.ctx.models.WebhookEvent.countDocuments({})).to.equal(before);
  });

  it('when the OpenAPI document is read, then it lists every webhook the tracker posts', async () => {
    const doc = (await request(t.app).get('/api/openapi.json')).body;
    expect(Object.keys(doc.webhooks).sort()).to.deep.equal(
      ['agreement.signature_declined', 'agreement.signature_recorded', 'agreement.stage_changed', 'deadline.reminder', 'document.version_added'].sort(),
    );
    expect(doc.webhooks['agreement.stage_changed'].post.requestBody.content['application/json'].schema.$ref).to.equal('#/components/schemas/StageChangedEvent');
  });
});

describe('webhooks: a receiver that fails is retried with backoff, with the same event id', () => {
  it('when the receiver answers 500, then 503, then 200, then the event is retried by the sweeps and marked sent only at the end', async () => {
    const receiver = await startWebhookReceiver([500, 503]);
    const clock = new ManualClock();
    const t = await createTestApp({ label: 'hook-retry', clock, env: { WEBHOOK_URL: receiver.url, WEBHOOK_SECRET: SECRET, TOKEN_TTL_MINUTES: '600' } });
    try {
      const admin = (await loginAs(t, 'admin')).token;
      const { token } = await loginAs(t, 'drafter', { unit: 'PWNI' });
      const a = await createAgreementVia(t, token);
      await moveVia(t, token, a.id, 'negotiation');
      await until('the first attempt', () => receiver.received.length === 1);
      const list = async () => (await request(t.app).get('/api/webhooks/events').query({ status: 'pending' }).set(bearer(admin))).body.items;
      let pending = await list();
      for (let i = 0; pending.length === 0 && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 20));
        pending = await list();
      }
      expect(pending.map((e: any) => [e.type, e.attempts, e.lastError])).to.deep.equal([['agreement.stage_changed', 1, 'HTTP 500']]);
      expect((await sweepReminders(t.ctx)).webhookEvents, 'not due again yet').to.deep.include({ attempted: 0 });
      clock.advance(60_000);
      expect((await sweepReminders(t.ctx)).webhookEvents).to.deep.include({ attempted: 1, retrying: 1 });
      clock.advance(60_000);
      expect((await sweepReminders(t.ctx)).webhookEvents, 'the second wait is twice the first').to.deep.include({ attempted: 0 });
      clock.advance(60_000);
      expect((await sweepReminders(t.ctx)).webhookEvents).to.deep.include({ attempted: 1, sent: 1 });
      expect(receiver.received.map((r) => r.status)).to.deep.equal([500, 503, 200]);
      expect(new Set(receiver.received.map((r) => r.headers['x-delivery-id'])).size, 'the same id on every attempt').to.equal(1);
      expect(new Set(receiver.received.map((r) => r.body)).size, 'the same body on every attempt').to.equal(1);
      const sent = (await request(t.app).get('/api/webhooks/events').query({ status: 'sent' }).set(bearer(admin))).body.items;
      expect(sent.map((e: any) => e.attemptLog.map((x: any) => x.code))).to.deep.equal([[500, 503, 200]]);
    } finally {
      await t.close();
      await receiver.close();
    }
  });

  it('when no webhook is configured, then changes leave nothing in the outbox and the admins’ view says so', async () => {
    const t = await createTestApp({ label: 'hook-none' });
    try {
      const { token } = await loginAs(t, 'drafter', { unit: 'PWNI' });
      const a = await createAgreementVia(t, token);
      await moveVia(t, token, a.id, 'negotiation');
      expect(await t.ctx.models.WebhookEvent.countDocuments({})).to.equal(0);
      const view = await request(t.app).get('/api/webhooks/events').set(bearer((await loginAs(t, 'admin')).token));
      expect(view.body).to.deep.include({ configured: false, total: 0 });
      const bad = await request(t.app).get('/api/webhooks/events').query({ status: 'lost' }).set(bearer((await loginAs(t, 'admin')).token));
      expect(bad.status).to.equal(422);
    } finally {
      await t.close();
    }
  });
});
