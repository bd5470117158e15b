import { expect } from 'chai';
import request from 'supertest';
import { PDFDocument, rgb, StandardFonts } from '@cantoo/pdf-lib';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { createDocumentsApp, uploadVia } from '../support/documents.js';

/** A one-page PDF whose text layer holds these lines. */
async function pdfWithText(lines: string[]): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  const page = doc.addPage([595, 842]);
  lines.forEach((line, i) => page.drawText(line, { x: 50, y: 780 - i * 16, size: 10, font }));
  return Buffer.from(await doc.save());
}

/** What a scanner makes: pages of pictures, no text layer (drawn shapes stand in for the scan). */
async function scannedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  for (let p = 0; p < 2; p++) {
    const page = doc.addPage([595, 842]);
    for (let i = 0; i < 30; i++) page.drawRectangle({ x: 50, y: 780 - i * 20, width: 300 + (i % 5) * 30, height: 9, color: rgb(0.1, 0.1, 0.1) });
  }
  return Buffer.from(await doc.save());
}

const FILLER = [
  'The competent authorities of each Party shall exchange information on standard employment contracts,',
  'wages, rest days and the handling of complaints, and shall review these arrangements every year.',
];
const CLAUSE = 'The Parties shall cooperate on the recruitment and placement of Indonesian domestic workers through the One Channel System.';

describe('agreements API: free-text search inside document texts and comments', function () {
  this.timeout(120_000);
  let t: Awaited<ReturnType<typeof createDocumentsApp>>;
  let drafter: string;
  let ids: Record<string, string>;
  let documentId: string;

  before(async () => {
    t = await createDocumentsApp('text_search', 'disk');
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    const create = async (title: { id: string; en: string }, extra: Record<string, unknown> = {}) => (await createAgreementVia(t, drafter, { title, ...extra })).id;
    ids = {
      texted: await create({ id: 'Nota Kesepahaman Penempatan Pekerja Domestik', en: 'MoU on Placement of Workers' }),
      titled: await create({ id: 'Pengaturan Teknis Kanal Satu', en: 'Technical Arrangement on the One Channel System' }),
      commented: await create({ id: 'Perjanjian Kerja Sama Data Kependudukan', en: 'Cooperation on Population Data' }),
      secret: await create({ id: 'Nota Kesepahaman Rahasia', en: 'Confidential MoU' }, { confidentiality: 'confidential' }),
    };
    const upload = await uploadVia(t, drafter, ids.texted, { kind: 'draft', language: 'en', file: await pdfWithText(['Article 2 - Scope of Cooperation', CLAUSE, ...FILLER, 'Article 3 - Joint Working Group']), fileName: 'MoU draft EN.pdf' });
    expect(upload.status, JSON.stringify(upload.body)).to.equal(201);
    documentId = upload.body.id;
    const secret = await uploadVia(t, drafter, ids.secret, { kind: 'draft', language: 'en', file: await pdfWithText(['The Parties shall exchange sealed lists of detained nationals every quarter.']) });
    expect(secret.status).to.equal(201);
    const comment = await request(t.app).post(`/api/agreements/${ids.commented}/comments`).set(bearer(drafter)).send({ text: 'Dukcapil asks for the biometric matching clause to be reworded before legal review.' });
    expect(comment.status).to.equal(201);
  });
  after(async () => t.close());

  const search = (token: string, q: string) => request(t.app).get('/api/agreements').query({ q, limit: 50 }).set(bearer(token));

  it('when a phrase of an uploaded PDF is searched, then its agreement is found with the document and an excerpt around the phrase', async () => {
    const res = await search(drafter, 'recruitment and placement of Indonesian domestic');
    expect(res.status).to.equal(200);
    expect(res.body.items.map((a: any) => a.id)).to.deep.equal([ids.texted]);
    expect(res.body.total).to.equal(1);
    const { match } = res.body.items[0];
    expect(match.in).to.equal('document');
    expect(match.document).to.deep.equal({ id: documentId, kind: 'draft', language: 'en', version: 1, fileName: 'MoU draft EN.pdf' });
    expect(match.excerpt).to.include('recruitment and placement of Indonesian domestic workers');
    expect(match.excerpt.length).to.be.below(CLAUSE.length + 120);
    expect(match.excerpt, 'the excerpt is the text around the match, not the whole document').not.to.include('Joint Working Group');
  });

  it('when a word only a comment holds is searched, then the agreement is found with the comment as the match', async () => {
    const res = await search(drafter, 'biometric matching');
    expect(res.body.items.map((a: any) => a.id)).to.deep.equal([ids.commented]);
    const { match } = res.body.items[0];
    expect(match.in).to.equal('comment');
    expect(match.comment.id).to.match(/^[0-9a-f]{24}$/);
    expect(match.excerpt).to.include('biometric matching clause');
  });

  it('when a phrase is in one title and in another agreement\'s text, then the title match comes first and carries no text match', async () => {
    const res = await search(drafter, 'one channel system');
    expect(res.body.items.map((a: any) => a.id)).to.deep.equal([ids.titled, ids.texted]);
    expect(res.body.total).to.equal(2);
    expect(res.body.items[0]).not.to.have.property('match');
    expect(res.body.items[1].match.document.id).to.equal(documentId);
    const second = await request(t.app).get('/api/agreements').query({ q: 'one channel system', limit: 1, offset: 1 }).set(bearer(drafter));
    expect(second.body.items.map((a: any) => a.id), 'the second page starts with the text match').to.deep.equal([ids.texted]);
    expect(second.body.total).to.equal(2);
  });

  it('when the board asks for the stage counts of a search, then they count the agreements found by their texts too, as the list does', async () => {
    const res = await request(t.app).get('/api/agreements').query({ q: 'one channel system', facets: 'stage' }).set(bearer(drafter));
    expect(res.body.total).to.equal(2);
    expect(res.body.facets.all).to.deep.equal({ total: 2, totalExact: true });
    expect(res.body.facets.stage).to.deep.equal({ drafting: { total: 2, totalExact: true } });
    const outsider = (await loginAs(t, 'diplomat', { unit: 'KONSULER' })).token;
    const hidden = await request(t.app).get('/api/agreements').query({ q: 'sealed lists of detained nationals', facets: 'stage' }).set(bearer(outsider));
    expect(hidden.body.facets, 'a confidential agreement found by its text is not counted for another unit').to.deep.equal({ stage: {}, all: { total: 0, totalExact: true } });
  });

  it('when a search is exported as CSV, then the rows found by their texts follow those found by their titles, as on the board', async () => {
    const listed = await search(drafter, 'one channel system');
    const codes = listed.body.items.map((a: any) => a.code);
    const res = await request(t.app).get('/api/agreements').query({ q: 'one channel system', format: 'csv', lang: 'en' }).set(bearer(drafter));
    expect(res.status).to.equal(200);
    const rows = res.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1);
    expect(rows.map((r: string) => r.split(',')[0])).to.deep.equal(codes);
  });

  it('when a reader of another unit searches a confidential agreement\'s text, then neither the agreement nor its excerpt comes back', async () => {
    const outsider = (await loginAs(t, 'diplomat', { unit: 'KONSULER' })).token;
    const res = await search(outsider, 'sealed lists of detained nationals');
    expect(res.status).to.equal(200);
    expect(res.body.items).to.deep.equal([]);
    expect(res.body.total).to.equal(0);
    const insider = await search(drafter, 'sealed lists of detained nationals');
    expect(insider.body.items.map((a: any) => a.id), 'the lead unit finds it').to.deep.equal([ids.secret]);
  });

  it('when a scanned PDF without a text layer is uploaded, then the version says so and a text PDF says it has one', async () => {
    const scanned = await uploadVia(t, drafter, ids.titled, { kind: 'draft', language: 'ms', file: await scannedPdf(), fileName: 'scan.pdf' });
    expect(scanned.status).to.equal(201);
    expect(scanned.body.textLayer).to.equal(false);
    const list = await request(t.app).get(`/api/agreements/${ids.texted}/documents`).set(bearer(drafter));
    expect(list.body.items.find((d: any) => d.id === documentId).textLayer).to.equal(true);
  });
});
