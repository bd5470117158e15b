import { expect } from 'chai';
import { degrees, PDFDict, PDFDocument, PDFName } from '@cantoo/pdf-lib';
import { stampPdf } from '../../../uploads/pdf/stamp.js';
import { buildSigningPacket, type PacketSpec } from '../../../uploads/pdf/signing-packet.js';
import { winAnsi } from '../../../uploads/pdf/text.js';
import { pageTexts } from '../../support/pdf-text.js';
import * as fixtures from '../../support/pdf-fixtures.js';

describe('uploads: stamping and signing packets', () => {
  it('when a draft is stamped, then every page carries the footer with its own page number and the diagonal watermark', async () => {
    const out = await stampPdf(await fixtures.textPdf(3), { footer: 'MOU-2022-001 · rancangan/draft (id) · v4 · negotiation · SHA-256 3f2a9c0d1e4b', watermark: 'RANCANGAN / DRAFT' });
    expect(out.pages).to.equal(3);
    const texts = await pageTexts(out.bytes);
    texts.forEach((t, i) => {
      expect(t).to.include(`MOU-2022-001 · rancangan/draft (id) · v4 · negotiation · SHA-256 3f2a9c0d1e4b · halaman ${i + 1} dari 3 / page ${i + 1} of 3`);
      expect(t).to.include('RANCANGAN / DRAFT');
    });
  });

  it('when a final text is stamped, then there is no watermark and the original content is kept', async () => {
    const out = await stampPdf(await fixtures.textPdf(1, { title: 'Original body' }), { footer: 'TA-2022-002 · final (en) · v1 · signed · SHA-256 000000000000' });
    const [text] = await pageTexts(out.bytes);
    expect(text).to.include('Original body');
    expect(text).to.not.include('RANCANGAN');
  });

  it('when pages are rotated or have an offset crop box, then stamping still works on each of them', async () => {
    const doc = await PDFDocument.create();
    for (const angle of [0, 90, 180, 270]) {
      const page = doc.addPage([400, 600]);
      page.setRotation(degrees(angle));
    }
    doc.getPage(0).setCropBox(50, 50, 300, 500);
    const out = await stampPdf(await doc.save(), { footer: 'X-1', watermark: 'RANCANGAN / DRAFT' });
    const texts = await pageTexts(out.bytes);
    expect(texts.map((t) => /halaman (\d) dari 4/.exec(t)?.[1])).to.deep.equal(['1', '2', '3', '4']);
  });

  it('when names use letters outside WinAnsi, then they are transliterated or replaced instead of failing', () => {
    expect(winAnsi('Kuala Lumpur – Şahin Ōta')).to.equal('Kuala Lumpur – Sahin Ota');
    expect(winAnsi('وزارة')).to.equal('?????');
    expect(winAnsi('Café')).to.equal('Café');
  });

  it('when a packet is built, then it has the cover, each text in order, and a signature page with one block per signatory', async () => {
    const id = await fixtures.textPdf(2, { title: 'Naskah Bahasa Indonesia' });
    const en = await fixtures.textPdf(3, { title: 'English text' });
    const files: Record<string, Uint8Array> = { '/id.pdf': id, '/en.pdf': en };
    const spec: PacketSpec = {
      code: 'MOU-2022-001',
      titles: [
        { language: 'id', text: 'Nota Kesepahaman tentang Penempatan dan Pelindungan Pekerja Migran Indonesia Sektor Domestik di Malaysia' },
        { language: 'en', text: 'Memorandum of Understanding on the Recruitment, Employment and Protection of Indonesian Domestic Workers in Malaysia' },
      ],
      typeLabel: 'Nota Kesepahaman / Memorandum of Understanding',
      parties: [
        { name: 'Republik Indonesia', kindLabel: 'negara/state', country: 'ID', signatory: { name: 'Ida Fauziyah', title: 'Menteri Ketenagakerjaan' } },
        { name: 'Malaysia', kindLabel: 'negara/state', country: 'MY', signatory: { name: 'M. Saravanan', title: 'Minister of Human Resources' } },
      ],
      place: 'Bogor',
      date: '1 April 2022',
      texts: [
        { language: 'id', languageName: 'Bahasa Indonesia / Indonesian', version: 3, sha256: 'a'.repeat(64), pages: 2, path: '/id.pdf' },
        { language: 'en', languageName: 'Bahasa Inggris / English', version: 2, sha256: 'b'.repeat(64), pages: 3, path: '/en.pdf' },
      ],
      signatories: [
        { partyName: 'Republik Indonesia', name: 'Ida Fauziyah', title: 'Menteri Ketenagakerjaan' },
        { partyName: 'Malaysia', name: 'M. Saravanan', title: 'Minister of Human Resources' },
      ],
      generatedAt: '2022-03-30T03:00:00.000Z',
    };
    const out = await buildSigningPacket(spec, async (p) => files[p]);
    expect(out.pages).to.equal(1 + 2 + 3 + 1);
    const texts = await pageTexts(out.bytes);
    expect(texts[0]).to.include('PAKET PENANDATANGANAN / SIGNING PACKET');
    expect(texts[0]).to.include('Ida Fauziyah, Menteri Ketenagakerjaan');
    expect(texts[0]).to.include('Tempat penandatanganan / Place of signing: Bogor');
    expect(texts[0]).to.include('Tanggal penandatanganan / Date of signing: 1 April 2022');
    expect(texts[1]).to.include('Naskah Bahasa Indonesia - 1');
    expect(texts[3]).to.include('English text - 1');
    expect(texts[6]).to.include('Untuk / For Republik Indonesia');
    expect(texts[6]).to.include('Untuk / For Malaysia');
    expect(texts[6]).to.include('M. Saravanan');
  });

  it('when the Saudi arrangement has Arabic names, then the packet shows them as written and a PDF text extractor reads them back in logical order', async () => {
    // logical order, as typed; the extractor must give back the same string, not '?' nor reversed or unjoined forms
    const saudi = 'المملكة العربية السعودية';
    const title = 'الترتيب الفني بشأن التجربة الاستهلالية لنظام القناة الواحدة';
    const ministry = 'وزارة الموارد البشرية والتنمية الاجتماعية';
    const spec: PacketSpec = {
      code: 'TA-SA-2022-01',
      titles: [
        { language: 'id', text: 'Pengaturan Teknis Uji Coba SPSK' },
        { language: 'en', text: 'Technical Arrangement on the SPSK Pilot' },
        { language: 'ar', text: title },
      ],
      typeLabel: 'Pengaturan Teknis / Technical Arrangement',
      parties: [
        { name: 'Republik Indonesia', kindLabel: 'negara/state', country: 'ID', signatory: { name: 'Menteri Ketenagakerjaan', title: 'Minister of Manpower' } },
        { name: 'Kerajaan Arab Saudi', officialName: saudi, kindLabel: 'negara/state', country: 'SA', signatory: { name: ministry, title: 'Minister of Human Resources (2022)' } },
      ],
      texts: [],
      signatories: [
        { partyName: 'Republik Indonesia', name: 'Menteri Ketenagakerjaan', title: 'Minister of Manpower' },
        { partyName: 'Kerajaan Arab Saudi', partyOfficialName: saudi, name: ministry, title: 'Minister of Human Resources' },
      ],
      generatedAt: '2022-07-25T03:00:00.000Z',
    };
    const out = await buildSigningPacket(spec, async () => new Uint8Array());
    const [cover, signatures] = (await pageTexts(out.bytes)).map((t) => t.normalize('NFC'));
    for (const arabic of [saudi, title, ministry]) expect(cover).to.include(arabic);
    expect(signatures).to.include(saudi);
    expect(signatures).to.include(ministry);
    expect(cover).to.include('Kerajaan Arab Saudi (SA)');
    expect(cover).to.not.include('?');
    // the fonts are embedded subsets (no standard font could draw Arabic)
    const baseFonts = await type0BaseFonts(out.bytes);
    expect(baseFonts.some((f) => /^\/[A-Z]{6}\+NotoNaskhArabic-Bold$/.test(f))).to.equal(true, baseFonts.join());
    expect(baseFonts.some((f) => /^\/[A-Z]{6}\+NotoSans-Regular$/.test(f))).to.equal(true, baseFonts.join());
  });

  it('when an arrangement with Thailand has its Thai title, then the packet draws it in Noto Sans Thai and a PDF text extractor reads it back as typed', async () => {
    // tone marks and vowels above and below the consonants, as in any Thai title
    const title = 'บันทึกความเข้าใจว่าด้วยการคุ้มครองลูกเรือประมง';
    const thailand = 'ราชอาณาจักรไทย';
    const out = await buildSigningPacket(
      {
        code: 'MOU-TH-2023-01',
        titles: [
          { language: 'id', text: 'Nota Kesepahaman tentang Pelindungan Awak Kapal Perikanan' },
          { language: 'en', text: 'Memorandum of Understanding on the Protection of Fishing Crew' },
          { language: 'th', text: title },
        ],
        typeLabel: 'Nota Kesepahaman / Memorandum of Understanding',
        parties: [
          { name: 'Republik Indonesia', kindLabel: 'negara/state', country: 'ID', signatory: { name: 'Menteri Luar Negeri', title: 'Minister for Foreign Affairs' } },
          { name: 'Kerajaan Thailand', officialName: thailand, kindLabel: 'negara/state', country: 'TH', signatory: { name: 'Minister of Labour', title: 'Minister of Labour' } },
        ],
        texts: [],
        signatories: [
          { partyName: 'Republik Indonesia', name: 'Menteri Luar Negeri', title: 'Minister for Foreign Affairs' },
          { partyName: 'Kerajaan Thailand', partyOfficialName: thailand, name: 'Minister of Labour', title: 'Minister of Labour' },
        ],
        generatedAt: '2023-05-10T03:00:00.000Z',
      },
      async () => new Uint8Array(),
    );
    const [cover, signatures] = (await pageTexts(out.bytes)).map((t) => t.normalize('NFC'));
    expect(cover).to.include(title);
    expect(cover).to.include(thailand);
    expect(signatures).to.include(thailand);
    const baseFonts = await type0BaseFonts(out.bytes);
    expect(baseFonts.some((f) => /^\/[A-Z]{6}\+NotoSansThai-/.test(f))).to.equal(true, baseFonts.join());
  });

  it('when eight parties sign, then the signature blocks flow onto further pages instead of overlapping', async () => {
    const parties = Array.from({ length: 9 }, (_, i) => ({ partyName: `Instansi ${i + 1}`, name: `Pejabat ${i + 1}`, title: 'Kepala' }));
    const out = await buildSigningPacket(
      {
        code: 'PKS-2022-009',
        titles: [
          { language: 'id', text: 'PKS TPPO' },
          { language: 'en', text: 'Cooperation on trafficking victims' },
        ],
        typeLabel: 'PKS',
        parties: parties.map((p) => ({ name: p.partyName, kindLabel: 'instansi/agency', signatory: { name: p.name, title: p.title } })),
        texts: [],
        signatories: parties,
        generatedAt: '2022-01-01T00:00:00.000Z',
      },
      async () => new Uint8Array(),
    );
    const texts = await pageTexts(out.bytes);
    const signaturePages = texts.filter((t) => t.includes('Untuk / For'));
    expect(signaturePages.length).to.be.greaterThan(1);
    expect(signaturePages.join('\n').match(/Untuk \/ For Instansi \d/g)).to.have.length(9);
  });
});

/** The BaseFont names of a PDF's composite (Type0) fonts: the embedded subsets it draws text with. */
async function type0BaseFonts(bytes: Uint8Array): Promise<string[]> {
  const loaded = await PDFDocument.load(bytes);
  return loaded.context
    .enumerateIndirectObjects()
    .map(([, o]) => (o instanceof PDFDict && o.get(PDFName.of('Subtype')) === PDFName.of('Type0') ? String(o.get(PDFName.of('BaseFont'))) : ''))
    .filter(Boolean);
}
