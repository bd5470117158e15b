import { expect } from 'chai';
import request from 'supertest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { loadDemo } from '../support/demo.js';
import { expectError } from '../support/errors.js';
import { pageTexts } from '../support/pdf-text.js';

/** Reads a binary answer as a Buffer. */
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** Whitespace-free text: line breaks and run boundaries fall differently in each format. */
const squash = (s: string) => s.replace(/\s+/g, '');

const DIPLOMACY_ID =
  'Keberhasilan penandatanganan 2 (dua) buah perjanjian bilateral, yaitu 1) Nota Kesepahaman tentang Penempatan dan Pelindungan Pekerja Migran Indonesia Sektor Domestik di Malaysia telah ditandatangani oleh Menteri Ketenagakerjaan Republik Indonesia dan Menteri Sumber Manusia Malaysia pada tanggal 1 April 2022 di Bogor. Proses penandatanganan tersebut disaksikan oleh Presiden RI dan Perdana Menteri Malaysia; dan 2) Pengaturan Teknis Uji Coba SPSK untuk Penempatan Terbatas Pekerja Migran Indonesia ke Arab Saudi telah ditandatangani oleh Menteri Ketenagakerjaan Republik Indonesia dan Menteri Sumber Daya Manusia dan Pembangunan Sosial Kerajaan Arab Saudi pada tanggal 11 Agustus 2022 di Jakarta.';
const AHU_ID =
  'Penandatanganan 1 (satu) buah perjanjian kerja sama (PKS), yaitu Perjanjian Kerja Sama tentang Integrasi Data Kewarganegaraan antara Ditjen Protokol dan Konsuler Kemlu dengan Ditjen AHU Kemenkumham pada tanggal 13 September 2022 di Jakarta.';
const GUIDELINES_ID =
  'Penyusunan 2 (dua) buah pedoman, yaitu 1) Pedoman Manajemen Pengelolaan Shelter; dan 2) Pedoman Penanganan Kasus Hukuman Mati. Keduanya masuk dalam tahap proses penandatanganan oleh Menteri Luar Negeri.';

describe('reports: the annual report and the exports', function () {
  this.timeout(90_000);
  let t: TestApp;
  let token: string;

  before(async () => {
    t = await createTestApp({ label: 'rep_annual' });
    await loadDemo(t);
    token = (await loginAs(t, 'diplomat')).token;
  });
  after(async () => t.close());

  const get = (url: string) => request(t.app).get(url).set(bearer(token)).buffer(true).parse(binary);

  it('when the 2022 report is asked as Markdown, then it writes the seed’s sentences under each index, with numbers spelled out and titles linked', async () => {
    const res = await get('/api/reports/annual?year=2022&format=md').expect(200);
    expect(res.headers['content-type']).to.match(/^text\/markdown/);
    expect(res.headers['content-disposition']).to.contain('laporan-perjanjian-2022.md');
    const md = (res.body as Buffer).toString('utf8');
    const plain = md.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\\(.)/g, '$1');
    const sections = plain.split(/^## /m);
    const section = (start: string) => sections.find((s) => s.startsWith(start)) ?? '';
    expect(section('Indeks Diplomasi Pelindungan WNI di Luar Negeri')).to.contain(DIPLOMACY_ID);
    // the Malaysia MoU was witnessed (recorded with its signatures); the Saudi arrangement names no witness
    expect(plain.match(/disaksikan oleh/g)).to.have.length(1);
    expect(section('Indeks Pemanfaatan dan Pengembangan Sistem Informasi')).to.contain(AHU_ID);
    const institutional = section('Indeks Penguatan Sistem Kelembagaan');
    expect(institutional).to.contain(GUIDELINES_ID);
    expect(institutional).to.contain('Penyusunan draf 2 (dua) buah perjanjian, yaitu 1) Nota Kesepahaman tentang Pelindungan WNI Saksi dan Korban Tindak Pidana Terorisme di Luar Negeri antara Kementerian Luar Negeri (Direktorat PWNI) dengan Lembaga Perlindungan Saksi dan Korban (LPSK); dan 2) Perjanjian Kerja Sama Pencegahan dan Penanganan WNI Korban TPPO di Luar Negeri antara Kementerian Luar Negeri (Direktorat PWNI) dengan 8 (delapan) kementerian/lembaga');
    const malaysia = await t.ctx.models.Agreement.findOne({ code: 'MOU-MY-2022-01' }).lean();
    expect(md).to.contain(`](http://localhost:3000/#/agreements/${String(malaysia!._id)})`);
    expect(md).to.match(/\| Perjanjian ditandatangani \| 3 \| \[MOU-MY-2022-01\]/);
    expect(md).to.contain('data:image/svg+xml;base64,');
  });

  it('when the Indonesian report names the two parties of an agreement, then it joins them with "dengan", so that a party whose name holds "dan" reads as one party', async () => {
    // "antara Ditjen Protokol dan Konsuler Kemlu dan Ditjen AHU Kemenkumham" could be read as three parties
    const report = (await request(t.app).get('/api/reports/annual.json?year=2022&lang=id').set(bearer(token)).expect(200)).body as { sections: Array<{ bullets: Array<Array<{ text: string; agreementId?: string }>> }> };
    let named = 0;
    for (const bullet of report.sections.flatMap((s) => s.bullets)) {
      const text = bullet.map((r) => r.text).join('');
      for (const id of new Set(bullet.map((r) => r.agreementId).filter((x): x is string => Boolean(x)))) {
        const agreement = (await request(t.app).get(`/api/agreements/${id}`).set(bearer(token)).expect(200)).body as { code: string; parties: Array<{ name: string }> };
        const [first, second] = agreement.parties.map((p) => p.name);
        if (agreement.parties.length !== 2 || !text.includes(`antara ${first} `)) continue;
        expect(text, agreement.code).to.contain(`antara ${first} dengan ${second}`);
        named++;
      }
    }
    // the AHU cooperation agreement, the LPSK MoU and the BPJS cooperation agreement
    expect(named).to.be.at.least(3);
  });

  it('when the report is asked in English, then the same facts read in English', async () => {
    const res = await get('/api/reports/annual?year=2022&format=md&lang=en').expect(200);
    const plain = (res.body as Buffer).toString('utf8').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\\(.)/g, '$1');
    expect(plain).to.contain(
      'The signing of two (2) bilateral agreements, namely 1) MoU on the Placement and Protection of Indonesian Migrant Workers in the Domestic Sector in Malaysia, signed by the Minister of Manpower of the Republic of Indonesia and the Minister of Human Resources of Malaysia on 1 April 2022 in Bogor. The signing was witnessed by the President of the Republic of Indonesia and the Prime Minister of Malaysia; and 2) Technical Arrangement on the SPSK Pilot for the Limited Placement of Indonesian Migrant Workers in Saudi Arabia, signed by the Minister of Manpower of the Republic of Indonesia and the Minister of Human Resources and Social Development of the Kingdom of Saudi Arabia on 11 August 2022 in Jakarta.',
    );
    expect(plain).to.contain('Both are in the process of being signed by the Minister for Foreign Affairs.');
    // a state's Indonesian name has no place in English prose (an agency's official name may hold one: Kepolisian Negara Republik Indonesia)
    expect(plain).not.to.match(/(?<!Negara )Republik Indonesia|Kerajaan Arab Saudi/);
  });

  it('when the report is asked as PDF, then its text holds the sentences and the figures, and titles link to the tracker', async () => {
    const res = await get('/api/reports/annual?year=2022&format=pdf').expect(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    const text = squash((await pageTexts(res.body)).join('\n'));
    expect(text).to.contain(squash(DIPLOMACY_ID));
    expect(text).to.contain(squash(AHU_ID));
    expect(text).to.contain(squash(GUIDELINES_ID));
    expect(text).to.contain(squash('Perjanjian ditandatangani3MOU-MY-2022-01, TA-SA-2022-01, PKS-ID-2022-01'));
    expect((res.body as Buffer).toString('latin1')).to.match(/\/URI \(http:\/\/localhost:3000\/#\/agreements\/[0-9a-f]{24}\)/);
  });

  it('when the report is asked as DOCX, then the document holds the sentences, hyperlinks and the charts as images', async () => {
    const res = await get('/api/reports/annual?year=2022&format=docx').expect(200);
    const zip = await JSZip.loadAsync(res.body);
    const xml = await zip.file('word/document.xml')!.async('string');
    const text = squash(xml.replace(/<w:tab\/>/g, ' ').replace(/<[^>]+>/g, '').replace(/&amp;/g, '&'));
    expect(text).to.contain(squash(DIPLOMACY_ID));
    expect(text).to.contain(squash(GUIDELINES_ID));
    const rels = await zip.file('word/_rels/document.xml.rels')!.async('string');
    // Word keeps a link's fragment apart: the relationship holds the address, the run its anchor.
    expect(rels).to.match(/relationships\/hyperlink" Target="http:\/\/localhost:3000\/" TargetMode="External"/);
    expect(xml).to.match(/<w:hyperlink [^>]*w:anchor="\/agreements\/[0-9a-f]{24}"/);
    expect(Object.keys(zip.files).filter((f) => f.startsWith('word/media/')).length).to.be.greaterThan(3);
  });

  it('when the report is exported as XLSX, then the figures sheet counts what the summary counts and codes link back', async () => {
    const res = await get('/api/reports/annual?year=2022&format=xlsx').expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body);
    const figures = book.getWorksheet('Angka')!;
    const rows = figures.getSheetValues().slice(2) as unknown[][];
    const byLabel = Object.fromEntries(rows.map((r) => [String(r[1]), [r[2], r[3]]]));
    expect(byLabel['Perjanjian ditandatangani']).to.deep.equal([3, 'MOU-MY-2022-01, TA-SA-2022-01, PKS-ID-2022-01']);
    expect(byLabel['— di antaranya perjanjian bilateral']).to.deep.equal([2, 'MOU-MY-2022-01, TA-SA-2022-01']);
    // a stage is quoted as every other message of the product quotes a name
    expect(byLabel['Tahap “Menunggu penandatanganan” pada 31 Desember 2022']).to.deep.equal([2, 'PED-ID-2022-01, PED-ID-2022-02']);
    const signed = book.getWorksheet('Ditandatangani')!;
    const code = signed.getCell('A2').value as { text: string; hyperlink: string };
    expect(code.text).to.equal('MOU-MY-2022-01');
    expect(code.hyperlink).to.match(/#\/agreements\/[0-9a-f]{24}$/);
    expect(signed.getCell('E2').value).to.equal('Bogor');
  });

  it('when a period summary is exported as CSV, then it is UTF-8 with a byte-order mark and one row per figure', async () => {
    const res = await get('/api/reports/summary?from=2022-01-01&to=2022-12-31&format=csv').expect(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const lines = body.toString('utf8').slice(1).split('\r\n');
    expect(lines[0]).to.equal('Uraian,Jumlah,Kode perjanjian,Tautan');
    expect(lines).to.include.members(['— di antaranya perjanjian bilateral,2,MOU-MY-2022-01 TA-SA-2022-01,' + lines.find((l) => l.startsWith('— di antaranya'))!.split(',').pop()]);
  });

  it('when a filtered summary is exported as PDF and XLSX, then only that unit’s agreements count, and each file’s title says what it was filtered by', async () => {
    const pdf = await get('/api/reports/summary?from=2022-01-01&to=2022-12-31&leadUnit=PROTKONS&format=pdf&lang=en').expect(200);
    const text = squash((await pageTexts(pdf.body)).join('\n'));
    expect(text).to.contain(squash('Agreements signed1PKS-ID-2022-01'));
    expect(text).to.contain(squash('Agreements Summary 1 January 2022 – 31 December 2022 · Lead unit: PROTKONS'));
    const xlsx = await get('/api/reports/summary?from=2022-01-01&to=2022-12-31&leadUnit=PROTKONS&type=cooperation_agreement&format=xlsx&lang=id').expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    expect(book.getWorksheet('Ditandatangani')!.rowCount).to.equal(2);
    expect(book.title).to.equal('Ringkasan Perjanjian 1 Januari 2022 – 31 Desember 2022 · Jenis: Perjanjian Kerja Sama (PKS) · Unit penanggung jawab: PROTKONS');
  });

  it('when an administrator downloads the annual report, then another unit’s confidential agreement is left out and the report says so; that unit’s own report carries it', async () => {
    const title = 'Pertukaran Data Perlintasan WNI';
    const annual = async (who: string, lang = 'id') => {
      const res = await request(t.app).get(`/api/reports/annual?year=2022&format=md&lang=${lang}`).set(bearer(who)).buffer(true).parse(binary).expect(200);
      return (res.body as Buffer).toString('utf8');
    };
    const admin = (await loginAs(t, 'admin', { unit: 'PWNI' })).token;
    // the administrator's figures still count it (GET /api/reports/summary): the document to circulate does not
    const figures = (await request(t.app).get('/api/reports/summary?from=2022-01-01&to=2022-12-31').set(bearer(admin))).body;
    expect(figures.byStage.flatMap((s: any) => s.agreements.map((a: any) => a.code))).to.include('PKS-ID-2022-04');
    const adminMd = await annual(admin);
    expect(adminMd).not.to.contain('PKS-ID-2022-04');
    expect(adminMd).not.to.contain(title);
    expect(adminMd).to.contain('Perjanjian berklasifikasi rahasia milik unit lain tidak dimuat.');
    expect(await annual(admin, 'en')).to.contain('Confidential agreements of other units are not included.');
    const own = await annual((await loginAs(t, 'drafter', { unit: 'PROTKONS' })).token);
    expect(own).to.contain(title);
    expect(own).not.to.contain('tidak dimuat');
    // a reader who never saw it is told nothing about it
    expect(await annual(token)).not.to.contain('tidak dimuat');
  });

  it('when the year or format is wrong, then 422 names it', async () => {
    expectError(await request(t.app).get('/api/reports/annual?year=22&format=pdf').set(bearer(token)), 422, 'validation_failed');
    expectError(await request(t.app).get('/api/reports/annual?year=2022&format=odt').set(bearer(token)), 422, 'validation_failed');
  });
  it('when the report is asked for a year before the first index, or after an index is retired, then the agreements worked on that year are still reported, under a heading that says why', async () => {
    const textOf = (section: any) => section.bullets.map((b: any[]) => b.map((r) => r.text).join(''));
    // 2021: the Malaysia MoU was negotiated (two rounds) but no index was in use yet: once, the year read as empty
    const id2021 = (await request(t.app).get('/api/reports/annual.json?year=2021&lang=id').set(bearer(token)).expect(200)).body;
    expect(id2021.sections.map((s: any) => s.heading)).to.deep.equal(['Perjanjian tahun 2021 (belum ada indeks kinerja yang berlaku)']);
    expect(textOf(id2021.sections[0])).to.deep.equal([
      'Perundingan 1 (satu) buah nota kesepahaman (MoU), yaitu Nota Kesepahaman tentang Penempatan dan Pelindungan Pekerja Migran Indonesia Sektor Domestik di Malaysia antara Republik Indonesia dengan Malaysia.',
    ]);
    const en2021 = (await request(t.app).get('/api/reports/annual.json?year=2021&lang=en').set(bearer(token)).expect(200)).body;
    expect(en2021.sections.map((s: any) => s.heading)).to.deep.equal(['Agreements in 2021 (no performance index was in use)']);
    expect(textOf(en2021.sections[0])[0]).to.match(/^The negotiation of one \(1\) memorandum of understanding, namely MoU on the Placement and Protection of Indonesian Migrant Workers/);
    // the files say the same
    const md = ((await get('/api/reports/annual?year=2021&format=md').expect(200)).body as Buffer).toString('utf8');
    expect(md).to.contain('## Perjanjian tahun 2021 (belum ada indeks kinerja yang berlaku)');
    expect(md).to.contain('Perundingan 1 (satu) buah nota kesepahaman (MoU)');

    // an index retired from 2023: its agreements move to the other agreements of 2023 instead of leaving the report
    const admin = (await loginAs(t, 'admin', { unit: 'PWNI' })).token;
    const index = (await request(t.app).get('/api/indices').set(bearer(admin))).body.items.find((i: any) => i.code === 'information_systems');
    const retired = await request(t.app).patch('/api/indices/information_systems').set(bearer(admin)).send({ version: index.version, retiredFromYear: 2023 });
    expect(retired.status, JSON.stringify(retired.body)).to.equal(200);
    try {
      const y2023 = (await request(t.app).get('/api/reports/annual.json?year=2023&lang=id').set(bearer(token)).expect(200)).body;
      const other = y2023.sections.find((s: any) => s.index === null);
      expect(other?.heading).to.equal('Perjanjian lain di luar indeks kinerja tahun 2023');
      expect(textOf(other).join(' ')).to.contain('Integrasi Portal Peduli WNI dengan Kanal Pendaftaran BPJS Ketenagakerjaan');
      // 2022, when it was in use, is as it was
      const y2022 = (await request(t.app).get('/api/reports/annual.json?year=2022&lang=id').set(bearer(token)).expect(200)).body;
      expect(y2022.sections.map((s: any) => s.index)).to.deep.equal(['information_systems', 'institutional_strengthening', 'protection_diplomacy']);
    } finally {
      await request(t.app).patch('/api/indices/information_systems').set(bearer(admin)).send({ version: retired.body.version, retiredFromYear: null }).expect(200);
    }
  });
});
