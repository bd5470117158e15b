import { expect } from 'chai';
import request from 'supertest';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { binary, createDocumentsApp, uploadFinalTexts, uploadVia } from '../support/documents.js';
import { drawnLines, pageTexts } from '../support/pdf-text.js';
import * as fixtures from '../support/pdf-fixtures.js';

describe('documents API: workflow, reopening and the signing packet', function () {
  this.timeout(60_000);
  let t: Awaited<ReturnType<typeof createDocumentsApp>>;
  let drafter: string;

  before(async () => {
    t = await createDocumentsApp('docs_flow', 'disk');
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
  });
  after(async () => t.close());

  it('when a new final text is uploaded after text_agreed without asking to reopen, then it answers 409 and stores nothing', async () => {
    const a = await createAgreementVia(t, drafter);
    await uploadFinalTexts(t, drafter, a.id, ['id', 'en']);
    await toAwaitingSignature(t, drafter, a.id);
    const res = await uploadVia(t, drafter, a.id, { kind: 'final', language: 'id' });
    expect(res.status).to.equal(409);
    expect(res.body.error.code).to.equal('invalid_state');
    expect(res.body.error.details).to.deep.include({ reopenRequired: true, currentStage: 'awaiting_signature' });
    const list = await request(t.app).get(`/api/agreements/${a.id}/documents`).set(bearer(drafter));
    expect(list.body.items.filter((d: any) => d.kind === 'final' && d.language === 'id')).to.have.length(1);
  });

  it('when it asks to reopen, then the agreement goes back to negotiation, clearances are void, and the history records both the reopening and the upload', async () => {
    const a = await createAgreementVia(t, drafter);
    await uploadFinalTexts(t, drafter, a.id, ['id', 'en']);
    await toAwaitingSignature(t, drafter, a.id);
    const res = await uploadVia(t, drafter, a.id, { kind: 'final', language: 'en', reopen: true });
    expect(res.status).to.equal(201);
    expect(res.body).to.deep.include({ version: 2, stageAtUpload: 'awaiting_signature' });
    const agreement = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter));
    expect(agreement.body.stage).to.equal('negotiation');
    expect(agreement.body.parties.map((p: any) => p.status)).to.deep.equal(['pending', 'pending']);
    const history = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter));
    const actions = history.body.items.map((e: any) => e.action);
    expect(actions.slice(-3)).to.deep.equal(['reopened', 'transition', 'document_uploaded']);
    expect(history.body.items.at(-1).changes).to.deep.include({ sha256: res.body.sha256, reopened: true });
  });

  it('when the agreement is signed, then no new final text or draft is accepted, but a signed copy is', async () => {
    const a = await createAgreementVia(t, drafter, { parties: [{ name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'Minister', title: 'Minister' } }] });
    const ready = await toAwaitingSignature(t, drafter, a.id);
    expect((await signVia(t, drafter, a.id, ready.parties[0].id)).body.stage).to.equal('signed');
    const final = await uploadVia(t, drafter, a.id, { kind: 'final', language: 'id', reopen: true });
    expect(final.status).to.equal(409);
    expect(final.body.error.message).to.match(/final once signed/);
    const draft = await uploadVia(t, drafter, a.id, { kind: 'draft', language: 'id' });
    expect(draft.status).to.equal(409);
    const signed = await uploadVia(t, drafter, a.id, { kind: 'signed', language: 'id' });
    expect(signed.status).to.equal(201);
    expect(signed.body.stageAtUpload).to.equal('signed');
  });

  it('when a signed copy is uploaded before signing starts, then it answers 409', async () => {
    const a = await createAgreementVia(t, drafter);
    const res = await uploadVia(t, drafter, a.id, { kind: 'signed', language: 'id' });
    expect(res.status).to.equal(409);
    expect(res.body.error.details.currentStage).to.equal('drafting');
  });

  it('when final texts or signatories are missing, then the signing packet answers 422 listing each of them', async () => {
    const a = await createAgreementVia(t, drafter, {
      authenticLanguages: ['id', 'ms', 'en'],
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Ida Fauziyah', title: 'Menteri Ketenagakerjaan' } },
        { name: 'Malaysia', kind: 'state', country: 'MY' },
      ],
    });
    await uploadFinalTexts(t, drafter, a.id, ['id']);
    const res = await request(t.app).get(`/api/agreements/${a.id}/signing-packet`).set(bearer(drafter));
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('unprocessable');
    expect(res.body.error.details.missing.map((m: any) => `${m.what}:${m.language ?? m.party}`)).to.deep.equal(['final_text:ms', 'final_text:en', 'signatory:Malaysia']);
  });

  it('when every language has a final text and every party a signatory, then the packet has the cover, the latest texts in order and one signature block per signatory', async () => {
    const a = await createAgreementVia(t, drafter, {
      title: { id: 'Nota Kesepahaman tentang Pekerja Migran Sektor Domestik', en: 'MoU on Domestic Migrant Workers' },
      authenticLanguages: ['id', 'en'],
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Ida Fauziyah', title: 'Menteri Ketenagakerjaan' } },
        { name: 'Malaysia', kind: 'state', country: 'MY', signatory: { name: 'M. Saravanan', title: 'Minister of Human Resources' } },
      ],
    });
    await uploadVia(t, drafter, a.id, { kind: 'final', language: 'id', file: await fixtures.textPdf(1, { title: 'Naskah lama' }) });
    await uploadVia(t, drafter, a.id, { kind: 'final', language: 'id', file: await fixtures.textPdf(2, { title: 'Naskah ID terbaru' }) });
    await uploadVia(t, drafter, a.id, { kind: 'final', language: 'en', file: await fixtures.textPdf(3, { title: 'English text' }) });
    const res = await binary(request(t.app).get(`/api/agreements/${a.id}/signing-packet`).query({ place: 'Bogor', date: '2022-04-01' }).set(bearer(drafter)));
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    const texts = await pageTexts(res.body);
    expect(texts).to.have.length(1 + 2 + 3 + 1);
    expect(texts[0]).to.include('Nota Kesepahaman tentang Pekerja Migran Sektor Domestik');
    expect(texts[0]).to.include('MoU on Domestic Migrant Workers');
    expect(texts[0]).to.include('Ida Fauziyah, Menteri Ketenagakerjaan');
    expect(texts[0]).to.include('Place of signing: Bogor');
    expect(texts[0]).to.include('Date of signing: 1 April 2022');
    expect(texts[1]).to.include('Naskah ID terbaru - 1');
    expect(texts.join('\n')).to.not.include('Naskah lama');
    expect(texts[3]).to.include('English text - 1');
    expect(texts[6]).to.include('Untuk / For Republik Indonesia');
    expect(texts[6]).to.include('Untuk / For Malaysia');
    expect(await t.ctx.services.documents.temp.list()).to.deep.equal([]);
  });

  it('when a signatory is named without a title, then the packet cover names them without a dangling comma, in Latin or Arabic script', async () => {
    const a = await createAgreementVia(t, drafter, {
      type: 'technical_arrangement',
      title: { id: 'Pengaturan Teknis Pekerja Domestik', en: 'Technical Arrangement on Domestic Workers' },
      authenticLanguages: ['id', 'en'],
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Ida Fauziyah' } },
        { name: 'Kerajaan Arab Saudi', kind: 'state', country: 'SA', signatory: { name: 'معالي وزير الموارد البشرية' } },
      ],
    });
    await uploadFinalTexts(t, drafter, a.id, ['id', 'en']);
    const res = await binary(request(t.app).get(`/api/agreements/${a.id}/signing-packet`).query({ place: 'Riyadh', date: '2026-12-07' }).set(bearer(drafter)));
    expect(res.status).to.equal(200);
    const lines = (await pageTexts(res.body))[0]!.split('\n').filter((l) => l.startsWith('Penanda tangan / Signatory:'));
    expect(lines).to.deep.equal(['Penanda tangan / Signatory: Ida Fauziyah', 'Penanda tangan / Signatory: معالي وزير الموارد البشرية']);
  });

  it('when an Arabic title opens with a Latin word and a party is named in Arabic, then the title reads right to left, flush right, and the party\'s line stays a left-to-right list entry', async () => {
    // what a reader sees, left to right: an Arabic word's letters come last to first on the page
    const backwards = (word: string) => [...word].reverse().join('');
    const title = 'SPSK ترتيب فني رقم 2022';
    const ministry = 'وزارة الموارد البشرية';
    const a = await createAgreementVia(t, drafter, {
      type: 'technical_arrangement',
      title: { id: 'Pengaturan Teknis SPSK', en: 'Technical Arrangement on SPSK', ar: title },
      authenticLanguages: ['id', 'ar'],
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Ida Fauziyah', title: 'Menteri Ketenagakerjaan' } },
        { name: ministry, kind: 'agency', country: 'SA', signatory: { name: 'Ahmed Al-Rajhi', title: 'Minister' } },
      ],
    });
    await uploadFinalTexts(t, drafter, a.id, ['id', 'ar']);
    const res = await binary(request(t.app).get(`/api/agreements/${a.id}/signing-packet`).query({ place: 'Riyadh' }).set(bearer(drafter)));
    expect(res.headers['content-type']).to.equal('application/pdf');
    const cover = (await drawnLines(res.body))[0]!;
    const textRight = Math.max(...cover.map((l) => l.right));

    // read from the right: SPSK first, then the Arabic words; 2022 and SPSK keep their own left-to-right order
    const titleLine = cover.find((l) => l.visual.includes('SPSK') && l.visual.includes('2022'));
    expect(titleLine?.visual).to.equal(['2022', backwards('رقم'), backwards('فني'), backwards('ترتيب'), 'SPSK'].join(' '));
    expect(titleLine!.right).to.be.closeTo(textRight, 1);

    // the list entry reads "2. <name> (SA) · instansi/agency" from the left, the name itself right to left
    const partyLine = cover.find((l) => l.visual.includes('(SA)'));
    expect(partyLine?.visual).to.equal(`2. ${backwards(ministry)} (SA) · instansi/agency`);
    const firstParty = cover.find((l) => l.visual.startsWith('1. Republik Indonesia'));
    expect(partyLine!.left).to.be.closeTo(firstParty!.left, 0.5);
    // and a text extractor still gives both back as typed
    const [text] = (await pageTexts(res.body)).map((p) => p.normalize('NFC'));
    expect(text).to.include(ministry);
    expect(text).to.include('ترتيب فني رقم');
  });

  it('when the signing packet is built, then its cover says when in Jakarta time, in both languages, not as a UTC timestamp', async () => {
    const a = await createAgreementVia(t, drafter);
    await uploadFinalTexts(t, drafter, a.id, ['id', 'en']);
    const res = await binary(request(t.app).get(`/api/agreements/${a.id}/signing-packet`).query({ place: 'Jakarta' }).set(bearer(drafter)));
    expect(res.status).to.equal(200);
    const line = (await pageTexts(res.body))[0]!.split('\n').find((l) => l.startsWith('Dibuat / Generated:'));
    expect(line).to.match(/^Dibuat \/ Generated: [A-Z][a-z]+, \d{1,2} [A-Z][a-z]+ \d{4} pukul \d{2}\.\d{2} WIB \/ [A-Z][a-z]+ \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} WIB$/);
    // the hour as read in Jakarta (UTC+7), not in UTC
    const jakartaHour = String((t.ctx.clock.now().getUTCHours() + 7) % 24).padStart(2, '0');
    expect(line).to.contain(` pukul ${jakartaHour}.`);
  });

  it('when the signing packet is asked for in Indonesian or in English, then its file name is “paket penandatanganan” or “signing packet”; Indonesian without lang', async () => {
    const a = await createAgreementVia(t, drafter);
    await uploadFinalTexts(t, drafter, a.id, ['id', 'en']);
    const named = async (query: Record<string, string>) => {
      const res = await binary(request(t.app).get(`/api/agreements/${a.id}/signing-packet`).query({ place: 'Bogor', ...query }).set(bearer(drafter)));
      expect(res.status).to.equal(200);
      expect(res.body.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
      return decodeURIComponent(/filename\*=UTF-8''(.+)$/.exec(res.headers['content-disposition'])![1]!);
    };
    expect(await named({ lang: 'id' })).to.equal(`${a.code} paket penandatanganan.pdf`);
    expect(await named({ lang: 'en' })).to.equal(`${a.code} signing packet.pdf`);
    expect(await named({})).to.equal(`${a.code} paket penandatanganan.pdf`);
  });

  it('when the agreement moves on after an upload, then the earlier record keeps the stage it was uploaded at', async () => {
    const a = await createAgreementVia(t, drafter);
    const up = await uploadVia(t, drafter, a.id, { kind: 'draft', language: 'id' });
    await moveVia(t, drafter, a.id, 'negotiation');
    const again = await request(t.app).get(`/api/documents/${up.body.id}`).set(bearer(drafter));
    expect(again.body.stageAtUpload).to.equal('drafting');
    expect(again.headers.etag).to.equal(`"${up.body.sha256}"`);
  });
});
