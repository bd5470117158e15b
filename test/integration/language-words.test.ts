import { expect } from 'chai';
import request from 'supertest';
import { loginAs } from '../support/users.js';
import { bearer, buildAgreement, createAgreementVia, toAwaitingSignature } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { binary, createDocumentsApp, uploadFinalTexts, uploadVia } from '../support/documents.js';
import { pageTexts } from '../support/pdf-text.js';

/**
 * A refusal or a history entry that names a language names it as the pages do ("Arabic" /
 * "bahasa Arab"), not by its ISO code ('ar'): the code stays in the machine-readable parts
 * (`details[].field`, `details.missing[].language`), the words are for people.
 */
describe('refusals and history: a language is named in words, not by its code', function () {
  this.timeout(60_000);
  let t: Awaited<ReturnType<typeof createDocumentsApp>>;
  let drafter: string;

  before(async () => {
    t = await createDocumentsApp('language_words', 'disk');
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
  });
  after(async () => t?.close());

  const documentsOf = async (id: string) => (await request(t.app).get(`/api/agreements/${id}/documents`).set(bearer(drafter))).body.items;
  const historyOf = async (id: string) => (await request(t.app).get(`/api/agreements/${id}/history`).set(bearer(drafter))).body.items;

  it('when a final text is uploaded in a language that is not authentic, then the refusal names the language and the authentic ones in words, and nothing is stored', async () => {
    const a = await createAgreementVia(t, drafter, { authenticLanguages: ['id', 'en'] });
    const historyBefore = await historyOf(a.id);
    const res = await uploadVia(t, drafter, a.id, { kind: 'final', language: 'ar' });
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.message).to.equal(
      'A final text must be in an authentic language of this agreement: Indonesian or English / Naskah final harus dalam bahasa otentik perjanjian ini: bahasa Indonesia atau bahasa Inggris',
    );
    expect(res.body.error.details).to.deep.equal([
      { field: 'language', message: 'Arabic is not an authentic language of this agreement / Bahasa Arab bukan bahasa otentik perjanjian ini', type: 'any.only' },
    ]);
    expect(await documentsOf(a.id)).to.deep.equal([]);
    expect(await historyOf(a.id)).to.deep.equal(historyBefore);
  });

  it('when the signing packet lacks a final text in Arabic, then what is missing names the language in words and keeps its code', async () => {
    const a = await createAgreementVia(t, drafter, { authenticLanguages: ['id', 'ar'], title: { id: 'Nota Kesepahaman Uji', en: 'Test MoU', ar: 'مذكرة تفاهم' } });
    await uploadFinalTexts(t, drafter, a.id, ['id']);
    const res = await request(t.app).get(`/api/agreements/${a.id}/signing-packet`).set(bearer(drafter));
    expectError(res, 422, 'unprocessable');
    expect(res.body.error.details.missing).to.deep.equal([
      { what: 'final_text', language: 'ar', message: 'No final text in Arabic / Belum ada naskah final dalam bahasa Arab' },
    ]);
  });

  it('when a new final text reopens the negotiation without a reason, then the history says in which language, in words', async () => {
    const a = await createAgreementVia(t, drafter, { authenticLanguages: ['id', 'ar'], title: { id: 'Nota Kesepahaman Uji', en: 'Test MoU', ar: 'مذكرة تفاهم' } });
    await toAwaitingSignature(t, drafter, a.id);
    const res = await uploadVia(t, drafter, a.id, { kind: 'final', language: 'ar', reopen: true });
    expect(res.status).to.equal(201);
    const reopened = (await historyOf(a.id)).find((e: any) => e.action === 'reopened');
    expect(reopened.changes.reason).to.equal('New final text in Arabic uploaded / Naskah final baru dalam bahasa Arab diunggah');
  });

  it('when a draft in Arabic is stamped, then the footer on every page names its language in words in both languages, not by its code', async () => {
    const a = await createAgreementVia(t, drafter, { authenticLanguages: ['id', 'ar'], title: { id: 'Nota Kesepahaman Uji', en: 'Test MoU', ar: 'مذكرة تفاهم' } });
    const doc = (await uploadVia(t, drafter, a.id, { kind: 'draft', language: 'ar' })).body;
    const stamped = await binary(request(t.app).get(`/api/documents/${doc.id}/stamped`).set(bearer(drafter)));
    expect(stamped.headers['content-type']).to.equal('application/pdf');
    const texts = await pageTexts(stamped.body);
    expect(texts.length).to.be.greaterThan(0);
    for (const text of texts) {
      expect(text).to.include(`${a.code} · rancangan/draft (bahasa Arab/Arabic) · v1 · `);
      expect(text).to.not.include('(ar)');
    }
  });

  it('when a title is given in a language that is not authentic, then the refusal names both it and the authentic languages in words, and no agreement is created', async () => {
    const before = await t.ctx.models.Agreement.countDocuments();
    const res = await request(t.app)
      .post('/api/agreements')
      .set(bearer(drafter))
      .send(buildAgreement({ authenticLanguages: ['id', 'ms'], title: { id: 'Nota Kesepahaman Uji', en: 'Test MoU', ar: 'مذكرة تفاهم' } }));
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details).to.deep.equal([
      {
        field: 'title.ar',
        message:
          'Arabic is not among the authentic languages of this agreement (Indonesian and Malay): add it to the authentic languages or leave this title out / Bahasa Arab tidak termasuk bahasa otentik perjanjian ini (bahasa Indonesia dan bahasa Melayu): tambahkan ke bahasa otentik atau hapus judul ini',
      },
    ]);
    expect(await t.ctx.models.Agreement.countDocuments()).to.equal(before);
  });
});
