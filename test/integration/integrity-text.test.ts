/**
 * Text that enters the service: well-formed Unicode or a 422 naming the field, NFC before it is
 * stored and hashed, no control characters in one-line fields, and a history hash that covers
 * exactly what the database stores, for every kind of history event.
 */
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, buildAgreement, createAgreementVia, moveVia, patchVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { rawUploadVia, uploadVia } from '../support/documents.js';
import { expectError } from '../support/errors.js';
import { textPdf } from '../support/pdf-fixtures.js';
import { hashEvent } from '../../domain/history/hash-chain.js';
import { appendHistoryEvent } from '../../domain/history/append-history-event.js';

/** A request with exactly these body bytes (supertest would serialise a Buffer as JSON). */
async function rawRequest(t: TestApp, method: string, path: string, headers: Record<string, string>, body: Buffer) {
  const server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers, body: new Uint8Array(body) });
    const text = await res.text();
    return { status: res.status, headers: Object.fromEntries(res.headers), text, body: JSON.parse(text) } as unknown as request.Response;
  } finally {
    server.close();
  }
}

/** "é" written as e + combining acute (NFD), and its one-code-point NFC form. */
const NFD_E = 'e\u0301';
const NFC_E = '\u00e9';

describe('integrity: text at the edge', () => {
  let t: TestApp;
  let drafter: string;
  let admin: string;
  let auditor: string;

  before(async () => {
    t = await createTestApp({ label: 'integrity-text' });
    drafter = (await loginAs(t, 'drafter')).token;
    admin = (await loginAs(t, 'admin')).token;
    auditor = (await loginAs(t, 'auditor')).token;
  });
  after(async () => t?.close());

  const fieldsOf = (res: request.Response) => res.body.error.details.map((d: { field: string }) => d.field);

  describe('well-formed Unicode', () => {
    it('when a title or a party name holds a lone surrogate, then 422 names each field and nothing is stored', async () => {
      const before = await t.ctx.models.Agreement.countDocuments();
      const body = buildAgreement({ title: { id: 'Nota \ud800 Kesepahaman', en: 'Memorandum' } });
      body.parties[1].name = 'Malay\udc00sia';
      const res = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(body);
      expectError(res, 422, 'validation_failed');
      expect(fieldsOf(res)).to.have.members(['title.id', 'parties.1.name']);
      expect(res.body.error.message).to.match(/Unicode/);
      expect(await t.ctx.models.Agreement.countDocuments()).to.equal(before);
    });

    it('when a JSON body carries bytes that are not UTF-8, then 422 names the field instead of storing U+FFFD', async () => {
      const before = await t.ctx.models.Agreement.countDocuments();
      const text = JSON.stringify(buildAgreement({ title: { id: 'Nota XX Kesepahaman', en: 'Memorandum' } }));
      const raw = Buffer.from(text, 'utf8');
      const at = raw.indexOf('XX');
      raw[at] = 0xed; // the UTF-8 form of a surrogate, which UTF-8 forbids
      raw[at + 1] = 0xa0;
      const res = await rawRequest(t, 'POST', '/api/agreements', { 'content-type': 'application/json', authorization: `Bearer ${drafter}` }, raw);
      expectError(res, 422, 'validation_failed');
      expect(fieldsOf(res)).to.deep.equal(['title.id']);
      expect(await t.ctx.models.Agreement.countDocuments()).to.equal(before);
    });

    it('when a query string escapes bytes that are not UTF-8, then 422 names the parameter', async () => {
      const res = await request(t.app).get('/api/agreements?q=nota%ED%A0%80').set(bearer(drafter));
      expectError(res, 422, 'validation_failed');
      expect(fieldsOf(res)).to.deep.equal(['q']);
      const fine = await request(t.app).get(`/api/agreements?q=${encodeURIComponent('Républik')}`).set(bearer(drafter));
      expect(fine.status).to.equal(200);
    });

    it('when a multipart field or a file name is not UTF-8, then 422 names it and nothing is stored', async () => {
      const a = await createAgreementVia(t, drafter);
      const docs = await t.ctx.models.Document.countDocuments();
      const badName = await rawUploadVia(t, drafter, a.id, `filename*=UTF-8''nota%ED%A0%80.pdf`);
      expectError(badName, 422, 'validation_failed');
      expect(fieldsOf(badName)).to.deep.equal(['file']);
      const boundary = '----badfield';
      const part = (name: string, value: Buffer | string, extra = '') =>
        Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n${extra ? 'Content-Type: application/pdf\r\n' : ''}\r\n`), Buffer.from(value), Buffer.from('\r\n')]);
      const body = Buffer.concat([
        part('kind', 'note'),
        part('language', 'id'),
        part('reason', Buffer.from([0x6f, 0xed, 0xa0, 0x80])),
        part('file', await textPdf(1), '; filename="nota.pdf"'),
        Buffer.from(`--${boundary}--\r\n`),
      ]);
      const badField = await rawRequest(t, 'POST', `/api/agreements/${a.id}/documents`, { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${drafter}` }, body);
      expectError(badField, 422, 'validation_failed');
      expect(fieldsOf(badField)).to.deep.equal(['reason']);
      expect(await t.ctx.models.Document.countDocuments()).to.equal(docs);
    });
  });

  describe('NFC', () => {
    it('when a title and a party name arrive decomposed (NFD), then they are stored, shown and found in NFC', async () => {
      const a = await createAgreementVia(t, drafter, {
        title: { id: `Perjanjian Kerja Sama R${NFD_E}publique`, en: `Cooperation with R${NFD_E}publique` },
        parties: [
          { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri' } },
          { name: `R${NFD_E}publique du Cameroun`, kind: 'state', country: 'CM', signatory: { name: 'Ministre' } },
        ],
      });
      expect(a.title.id).to.equal(`Perjanjian Kerja Sama R${NFC_E}publique`);
      expect(a.parties[1].name).to.equal(`R${NFC_E}publique du Cameroun`);
      const stored = await t.ctx.connection.collection('agreements').findOne({ _id: new Types.ObjectId(a.id) });
      expect(stored!.title.en).to.equal(`Cooperation with R${NFC_E}publique`);
      for (const q of [`r${NFD_E}publique`, `r${NFC_E}publique`]) {
        const found = await request(t.app).get(`/api/agreements?q=${encodeURIComponent(q)}`).set(bearer(drafter));
        expect(found.body.items.map((x: { id: string }) => x.id), q).to.include(a.id);
      }
    });
  });

  describe('control characters in one-line fields', () => {
    it('when a title, party name, user name, holiday name or search term holds a control character, then 422 names the field', async () => {
      const body = buildAgreement({ title: { id: 'Nota\u0000Kesepahaman', en: 'Memo \u001b[31mred' } });
      body.parties[0].signatory.name = 'Men\u0007teri';
      const agreement = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(body);
      expectError(agreement, 422, 'validation_failed');
      expect(fieldsOf(agreement)).to.have.members(['title.id', 'title.en', 'parties.0.signatory.name']);
      expect(agreement.body.error.details[0].message).to.match(/control characters/);

      const user = await request(t.app).post('/api/users').set(bearer(admin)).send({ email: 'ctl@example.org', name: 'Ada\u0085Lovelace', password: 'Kelapa-Gading-Timur-77', role: 'drafter' });
      expectError(user, 422, 'validation_failed');
      expect(fieldsOf(user)).to.deep.equal(['name']);

      const holiday = await request(t.app).post('/api/holidays').set(bearer(admin)).send({ date: '2027-08-18', name: { id: 'Cuti\u0008', en: 'Leave' } });
      expectError(holiday, 422, 'validation_failed');
      expect(fieldsOf(holiday)).to.deep.equal(['name.id']);

      const search = await request(t.app).get('/api/agreements?q=nota%07').set(bearer(drafter));
      expectError(search, 422, 'validation_failed');
      expect(fieldsOf(search)).to.deep.equal(['q']);
    });

    it('when a file name holds a control character, then 422 names the file and nothing is stored', async () => {
      const a = await createAgreementVia(t, drafter);
      const docs = await t.ctx.models.Document.countDocuments();
      const encoded = await rawUploadVia(t, drafter, a.id, `filename*=UTF-8''nota%07%20dinas%1B.pdf`);
      expectError(encoded, 422, 'validation_failed');
      expect(fieldsOf(encoded)).to.deep.equal(['file']);
      const c1 = await rawUploadVia(t, drafter, a.id, 'filename="surat\u0085 kuasa.pdf"');
      expectError(c1, 422, 'validation_failed');
      expect(await t.ctx.models.Document.countDocuments()).to.equal(docs);
    });

    it('when a note or a comment spans lines with tabs, then it is kept as written', async () => {
      const a = await createAgreementVia(t, drafter);
      const text = 'Baris satu\n\tbaris dua\r\nbaris tiga';
      const res = await request(t.app).post(`/api/agreements/${a.id}/comments`).set(bearer(drafter)).send({ text });
      expect(res.status).to.equal(201);
      expect(res.body.changes.text).to.equal(text);
      const nul = await request(t.app).post(`/api/agreements/${a.id}/comments`).set(bearer(drafter)).send({ text: 'a\u0000b' });
      expectError(nul, 422, 'validation_failed');
      expect(fieldsOf(nul)).to.deep.equal(['text']);
    });
  });

  describe('the history hash covers exactly what is stored', () => {
    const EVERY_ACTION = [
      'created', 'updated', 'transition', 'signature_recorded', 'party_declined', 'round_added', 'link_added', 'reopened', 'comment',
      'document_uploaded', 'document_downloaded', 'deadline_created', 'deadline_updated', 'reminders_paused', 'reminders_resumed',
    ];

    async function storedEvents(agreementId: string) {
      return t.ctx.connection.collection('history_events').find({ agreementId: new Types.ObjectId(agreementId) }).sort({ seq: 1 }).toArray();
    }

    function expectEachHashRecomputes(events: Array<Record<string, any>>) {
      for (const e of events) {
        const recomputed = hashEvent({ ...(e as any), agreementId: String(e.agreementId) });
        expect(recomputed, `${e.action} #${e.seq}`).to.equal(e.hash);
      }
    }

    it('when every kind of event is appended with decomposed, astral and multi-line text, then each stored event recomputes to its hash and verify holds', async () => {
      const text = (s: string) => `${s} R${NFD_E}publique 🇮🇩 ${'\u{1D4D0}'}`;
      const a = await createAgreementVia(t, drafter, { confidentiality: 'confidential', title: { id: text('Nota'), en: text('Memo') } });
      const other = await createAgreementVia(t, drafter);
      await patchVia(t, drafter, a.id, { subjects: [text('pelindungan')] });
      expect((await request(t.app).post(`/api/agreements/${a.id}/rounds`).set(bearer(drafter)).send({ date: '2022-05-01', venue: text('Jakarta'), outcome: text('Sepakat\n\tsebagian') })).status).to.equal(201);
      expect((await request(t.app).post(`/api/agreements/${a.id}/links`).set(bearer(drafter)).send({ type: 'implements', agreementId: other.id })).status).to.equal(201);
      expect((await request(t.app).post(`/api/agreements/${a.id}/comments`).set(bearer(drafter)).send({ text: text('Catatan\nbaris dua') })).status).to.equal(201);
      const deadline = await request(t.app).post(`/api/agreements/${a.id}/deadlines`).set(bearer(drafter)).send({ kind: 'custom', dueAt: '2031-03-02T03:00:00Z', note: text('Tenggat') });
      expect(deadline.status).to.equal(201);
      expect((await request(t.app).patch(`/api/deadlines/${deadline.body.id}`).set(bearer(drafter)).send({ note: text('Tenggat baru') })).status).to.equal(200);
      expect((await request(t.app).post(`/api/agreements/${a.id}/reminders/pause`).set(bearer(drafter))).status).to.equal(200);
      expect((await request(t.app).post(`/api/agreements/${a.id}/reminders/resume`).set(bearer(drafter))).status).to.equal(200);
      const doc = await uploadVia(t, drafter, a.id, { kind: 'note', language: 'id', fileName: `Nota R${NFD_E}publique.pdf` });
      expect(doc.status).to.equal(201);
      expect(doc.body.fileName).to.equal(`Nota R${NFC_E}publique.pdf`);
      expect((await request(t.app).get(`/api/documents/${doc.body.id}/file`).set(bearer(auditor))).status).to.equal(200);
      const ready = await toAwaitingSignature(t, drafter, a.id);
      expect((await signVia(t, drafter, a.id, ready.parties[0].id, { place: text('Bogor') })).status).to.equal(200);
      const declined = await request(t.app)
        .post(`/api/agreements/${a.id}/parties/${ready.parties[1].id}/decline`)
        .set(bearer(drafter))
        .send({ reason: text('Pasal 5\nbelum diterima'), outcome: 'reopen' });
      expect(declined.status).to.equal(200);
      await moveVia(t, drafter, a.id, 'legal_review');
      await moveVia(t, drafter, a.id, 'text_agreed');
      await moveVia(t, drafter, a.id, 'negotiation', { note: text('Teks dibuka lagi') });

      const events = await storedEvents(a.id);
      expect([...new Set(events.map((e) => e.action))]).to.include.members(EVERY_ACTION);
      expectEachHashRecomputes(events);
      // what the API shows is what was stored: NFC, nothing replaced
      const shown = JSON.stringify(events.map((e) => e.changes));
      expect(shown).not.to.contain(NFD_E);
      expect(shown).not.to.contain('\uFFFD');
      expect(shown).to.contain(`R${NFC_E}publique 🇮🇩 \u{1D4D0}`);
      const verify = await request(t.app).get(`/api/agreements/${a.id}/history/verify`).set(bearer(auditor));
      expect(verify.body).to.include({ valid: true, events: events.length });
    });

    it('when an event is appended with text BSON cannot carry (a lone surrogate reaching past the edge), then the hash is of the stored form and verify still holds', async () => {
      const a = await createAgreementVia(t, drafter);
      const actor = { id: new Types.ObjectId().toHexString(), email: 'x@test.local', name: 'Tamu \ud800', role: 'drafter', unit: 'PWNI' } as any;
      await appendHistoryEvent(t.ctx, { agreementId: a.id, actor, action: 'comment', changes: { text: `Nota \ud800 Kesepahaman R${NFD_E}publique`, zero: -0 } });
      const events = await storedEvents(a.id);
      const last = events[events.length - 1];
      expect(last.changes.text).to.equal(`Nota \uFFFD Kesepahaman R${NFC_E}publique`);
      expectEachHashRecomputes(events);
      const verify = await request(t.app).get(`/api/agreements/${a.id}/history/verify`).set(bearer(auditor));
      expect(verify.body).to.include({ valid: true, events: events.length });
    });
  });
});
