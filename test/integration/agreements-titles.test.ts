import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, buildAgreement, createAgreementVia } from '../support/agreements.js';

const SAUDI = 'المملكة العربية السعودية';
const TITLE_AR = 'ترتيب فني بشأن المرحلة التجريبية لنظام القناة الواحدة';

const saudiArrangement = (overrides: Record<string, unknown> = {}) =>
  buildAgreement({
    type: 'technical_arrangement',
    title: { id: 'Pengaturan Teknis Uji', en: 'Test Technical Arrangement', ar: TITLE_AR },
    authenticLanguages: ['id', 'ar', 'en'],
    parties: [
      { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri', title: 'Minister' } },
      { name: 'Kerajaan Arab Saudi', officialName: SAUDI, kind: 'state', country: 'SA', signatory: { name: 'Minister', title: 'Minister' } },
    ],
    ...overrides,
  });

describe('agreements API: titles in every authentic language, official names in other scripts', () => {
  let t: TestApp;
  let drafter: string;

  before(async () => {
    t = await createTestApp({ label: 'agr_titles' });
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
  });
  after(async () => t.close());

  it('when an agreement is created with an Arabic title and an Arabic party name, then both are stored as written and answered back', async () => {
    const res = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(saudiArrangement());
    expect(res.status).to.equal(201);
    expect(res.body.title).to.deep.equal({ id: 'Pengaturan Teknis Uji', en: 'Test Technical Arrangement', ar: TITLE_AR });
    expect(res.body.parties.map((p: any) => p.officialName)).to.deep.equal([null, SAUDI]);
    const read = await request(t.app).get(`/api/agreements/${res.body.id}`).set(bearer(drafter));
    expect(read.body.title.ar).to.equal(TITLE_AR);
    expect(read.body.parties[1].officialName).to.equal(SAUDI);
  });

  it('when a title is in a language that is not authentic, then it answers 422 naming title.<code> in both languages and stores nothing', async () => {
    const before = await t.ctx.models.Agreement.countDocuments({});
    const res = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(saudiArrangement({ authenticLanguages: ['id', 'en'] }));
    expect(res.status).to.equal(422);
    const detail = res.body.error.details.find((d: any) => d.field === 'title.ar');
    expect(detail.message).to.include('add it to the authentic languages').and.include('tambahkan ke bahasa otentik');
    expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(before);
  });

  it('when a title key is not a language code, then it answers 422 for that key', async () => {
    const res = await request(t.app)
      .post('/api/agreements')
      .set(bearer(drafter))
      .send(saudiArrangement({ title: { id: 'Judul', en: 'Title', arabic: TITLE_AR } }));
    expect(res.status).to.equal(422);
    expect(res.body.error.details.map((d: any) => d.field)).to.include('title.arabic');
  });

  it('when the Arabic language is dropped while its title stays, then the change is refused and the agreement is unchanged', async () => {
    const a = await createAgreementVia(t, drafter, saudiArrangement());
    const res = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).send({ version: a.version, authenticLanguages: ['id', 'en'] });
    expect(res.status).to.equal(422);
    expect(res.body.error.details.map((d: any) => d.field)).to.deep.equal(['title.ar']);
    const read = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter));
    expect(read.body.authenticLanguages).to.deep.equal(['id', 'ar', 'en']);
    const ok = await request(t.app)
      .patch(`/api/agreements/${a.id}`)
      .set(bearer(drafter))
      .send({ version: a.version, authenticLanguages: ['id', 'en'], title: { id: 'Pengaturan Teknis Uji', en: 'Test Technical Arrangement' } });
    expect(ok.status).to.equal(200);
    expect(ok.body.title).to.deep.equal({ id: 'Pengaturan Teknis Uji', en: 'Test Technical Arrangement' });
  });

  it('when a diplomat searches for a word of the Arabic title or the Arabic party name, then the agreement is found', async () => {
    const a = await createAgreementVia(t, drafter, saudiArrangement({ title: { id: 'Pengaturan Teknis Cari', en: 'Searchable Arrangement', ar: 'ترتيب فني بشأن الحماية القنصلية' } }));
    for (const q of ['القنصلية', 'السعودية']) {
      const res = await request(t.app).get('/api/agreements').query({ q }).set(bearer(drafter));
      expect(res.status).to.equal(200);
      expect(res.body.items.map((i: any) => i.id), q).to.include(a.id);
    }
    const none = await request(t.app).get('/api/agreements').query({ q: 'الإمارات' }).set(bearer(drafter));
    expect(none.body.items.map((i: any) => i.id)).to.not.include(a.id);
  });

  it('when the board is exported as CSV, then the other titles and the official names come in their own columns as written', async () => {
    const subject = 'ekspor-aksara';
    await createAgreementVia(t, drafter, saudiArrangement({ subjects: [subject] }));
    const res = await request(t.app).get('/api/agreements').query({ subject, format: 'csv', lang: 'en' }).set(bearer(drafter));
    expect(res.status).to.equal(200);
    const [header, row] = res.text.slice(1).trimEnd().split('\r\n');
    expect(header.split(',').slice(-2)).to.deep.equal(['Titles in other authentic languages', 'Official party names in other scripts']);
    expect(row.split(',').slice(-2)).to.deep.equal([`ar: ${TITLE_AR}`, `Kerajaan Arab Saudi: ${SAUDI}`]);
  });
});
