import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from '@cantoo/pdf-lib';
import type { AgreementRecord } from '../../models/agreement.js';
import { winAnsi, wrap } from '../../uploads/pdf/text.js';
import { languageName } from '../../workflows/language-names.js';

/**
 * The demo's PDFs: a page or two of believable treaty text per authentic language, generated with
 * pdf-lib so no binary blob lives in the repository. Every page carries a bilingual (Indonesian /
 * English) band naming the instrument and the language; the body is in the language itself.
 * The standard PDF fonts cannot draw Arabic script, so the Arabic text is rendered in English
 * under a note that says so.
 */
export interface DemoTextOptions {
  /** 'final': the agreed text, signature blocks blank; 'signed': the scan of the signed original */
  kind: 'final' | 'signed';
  language: string;
  /** the title in languages other than Indonesian and English (e.g. Malay) */
  titles?: Record<string, string>;
  /** the place and date of signing (YYYY-MM-DD), printed on the signed copy */
  signed?: { place: string; date: string };
}

type Lang = 'id' | 'en' | 'ms';

const MONTHS: Record<Lang, string[]> = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  ms: ['Januari', 'Februari', 'Mac', 'April', 'Mei', 'Jun', 'Julai', 'Ogos', 'September', 'Oktober', 'November', 'Disember'],
};

/** "Nota Kesepahaman tentang X" → "X": the heading names the instrument already. */
const subjectOf = (title: string) =>
  title.replace(
    /^(nota kesepahaman|memorandum persefahaman|memorandum of understanding|mou|pengaturan teknis|pengaturan teknikal|technical arrangement|perjanjian kerja sama|cooperation agreement)\s+(tentang|mengenai|on)\s+/i,
    '',
  );

const longDate = (iso: string, lang: Lang) => {
  const [y, m, d] = iso.split('-').map(Number);
  return `${d} ${MONTHS[lang][m - 1]} ${y}`;
};

/** One paragraph of the body: a heading (centred, bold) or running text. */
type Block = { heading: string } | { text: string; indent?: number };

const INSTRUMENT: Record<string, Record<Lang, string>> = {
  mou: { id: 'Nota Kesepahaman', en: 'Memorandum of Understanding', ms: 'Memorandum Persefahaman' },
  agreement: { id: 'Persetujuan', en: 'Agreement', ms: 'Perjanjian' },
  technical_arrangement: { id: 'Pengaturan Teknis', en: 'Technical Arrangement', ms: 'Pengaturan Teknikal' },
};

/**
 * Clauses of one instrument that the generic text lacks, added to its Article 2 by code: the
 * Malaysia MoU's own subject, so that search finds it by a phrase of its text.
 */
const OWN_CLAUSES: Record<string, Record<Lang, string>> = {
  'MOU-MY-2022-01': {
    en: '(5) the recruitment and placement of Indonesian domestic workers in Malaysia through the One Channel System, with wages paid into the worker\'s own bank account;',
    id: '(5) perekrutan dan penempatan pekerja rumah tangga Indonesia di Malaysia melalui Sistem Satu Kanal, dengan upah dibayarkan ke rekening bank pekerja sendiri;',
    ms: '(5) pengambilan dan penempatan pekerja domestik Indonesia di Malaysia melalui Sistem Satu Saluran, dengan gaji dibayar ke dalam akaun bank pekerja sendiri;',
  },
};

/** The international instruments (MoU, TA): preamble, six articles, testimonium. */
function internationalText(a: AgreementRecord, lang: Lang, title: string): { head: string[]; blocks: Block[] } {
  const doc = INSTRUMENT[a.type]?.[lang] ?? INSTRUMENT.mou[lang];
  const names = a.parties.map((p) => p.name);
  const languages = a.authenticLanguages.map((l) => languageName(l)[lang === 'en' ? 'en' : 'id']);
  const years = Math.max(1, Math.round((a.term?.durationMonths ?? 60) / 12));
  if (lang === 'en') {
    return {
      head: [doc.toUpperCase(), 'BETWEEN', names.join(' AND ').toUpperCase(), 'ON', subjectOf(title).toUpperCase()],
      blocks: [
        { text: `${names.join(' and ')} (hereinafter referred to individually as "a Party" and collectively as "the Parties");` },
        { text: 'RECOGNISING the close and friendly relations between the two countries;' },
        { text: 'DESIRING to ensure the protection of the rights and welfare of their nationals who live and work in the territory of the other Party;' },
        { text: 'ACTING in accordance with the laws and regulations in force in their respective countries;' },
        { text: 'HAVE REACHED the following understanding:' },
        { heading: 'Article 1 - Objective' },
        { text: `This ${doc} establishes the framework of cooperation between the Parties in the field set out in its title, with the protection of their nationals as its first concern.` },
        { heading: 'Article 2 - Scope of Cooperation' },
        { text: '(1) exchange of information on recruitment, placement and protection;', indent: 12 },
        { text: '(2) joint procedures for the handling of cases, including consular access within 24 hours of notification;', indent: 12 },
        { text: '(3) capacity building for the officials concerned;', indent: 12 },
        { text: '(4) any other activity mutually agreed upon by the Parties.', indent: 12 },
        ...ownClause(a, 'en'),
        { heading: 'Article 3 - Joint Working Group' },
        { text: 'The Parties shall establish a Joint Working Group, which shall meet at least once a year, alternately in each country or online, to monitor and review the implementation of this instrument.' },
        { heading: 'Article 4 - Financial Arrangements' },
        { text: 'Each Party shall bear its own costs arising from the implementation of this instrument, subject to the availability of funds.' },
        { heading: 'Article 5 - Settlement of Differences' },
        { text: 'Any difference arising from the interpretation or implementation of this instrument shall be settled amicably through consultation or negotiation between the Parties through diplomatic channels.' },
        { heading: 'Article 6 - Entry into Force, Amendment and Termination' },
        { text: `(1) This ${doc} shall enter into force on the date of its signing and shall remain in force for a period of ${years} years.`, indent: 12 },
        { text: '(2) It may be amended by mutual written consent of the Parties.', indent: 12 },
        { text: '(3) Either Party may terminate it by giving six months\' written notice to the other Party through diplomatic channels.', indent: 12 },
        {
          text: `IN WITNESS WHEREOF, the undersigned, being duly authorised by their respective Governments, have signed this ${doc}, done in duplicate in the ${languages.join(', ')} languages, all texts being equally authentic. In case of divergence of interpretation, the English text shall prevail.`,
        },
      ],
    };
  }
  if (lang === 'ms') {
    return {
      head: [doc.toUpperCase(), 'ANTARA', names.join(' DAN ').toUpperCase(), 'MENGENAI', subjectOf(title).toUpperCase()],
      blocks: [
        { text: `${names.join(' dan ')} (kemudian daripada ini disebut secara berasingan sebagai "Pihak" dan secara bersama sebagai "Para Pihak");` },
        { text: 'MENGIKTIRAF hubungan persahabatan yang erat antara kedua-dua negara;' },
        { text: 'BERHASRAT untuk memastikan perlindungan hak dan kebajikan warganegara masing-masing yang tinggal dan bekerja di wilayah Pihak yang satu lagi;' },
        { text: 'MENURUT undang-undang dan peraturan yang berkuat kuasa di negara masing-masing;' },
        { text: 'TELAH MENCAPAI persefahaman seperti yang berikut:' },
        { heading: 'Perkara 1 - Objektif' },
        { text: `${doc} ini menetapkan rangka kerjasama antara Para Pihak dalam bidang yang dinyatakan dalam tajuknya, dengan perlindungan warganegara sebagai keutamaan.` },
        { heading: 'Perkara 2 - Skop Kerjasama' },
        { text: '(1) pertukaran maklumat mengenai pengambilan, penempatan dan perlindungan;', indent: 12 },
        { text: '(2) prosedur bersama bagi pengendalian kes, termasuk akses konsular dalam tempoh 24 jam selepas pemberitahuan;', indent: 12 },
        { text: '(3) pembinaan kapasiti pegawai yang berkenaan;', indent: 12 },
        { text: '(4) apa-apa aktiviti lain yang dipersetujui bersama oleh Para Pihak.', indent: 12 },
        ...ownClause(a, 'ms'),
        { heading: 'Perkara 3 - Kumpulan Kerja Bersama' },
        { text: 'Para Pihak hendaklah menubuhkan Kumpulan Kerja Bersama yang bermesyuarat sekurang-kurangnya sekali setahun, secara bergilir di kedua-dua negara atau secara dalam talian, untuk memantau dan mengkaji semula pelaksanaan instrumen ini.' },
        { heading: 'Perkara 4 - Peruntukan Kewangan' },
        { text: 'Setiap Pihak hendaklah menanggung kos sendiri yang timbul daripada pelaksanaan instrumen ini, tertakluk kepada peruntukan kewangan yang ada.' },
        { heading: 'Perkara 5 - Penyelesaian Perbezaan' },
        { text: 'Apa-apa perbezaan yang timbul daripada tafsiran atau pelaksanaan instrumen ini hendaklah diselesaikan secara baik melalui rundingan antara Para Pihak melalui saluran diplomatik.' },
        { heading: 'Perkara 6 - Kuat Kuasa, Pindaan dan Penamatan' },
        { text: `(1) ${doc} ini hendaklah berkuat kuasa pada tarikh ia ditandatangani dan kekal berkuat kuasa bagi tempoh ${years} tahun.`, indent: 12 },
        { text: '(2) Ia boleh dipinda dengan persetujuan bertulis Para Pihak.', indent: 12 },
        { text: '(3) Mana-mana Pihak boleh menamatkannya dengan memberikan notis bertulis enam bulan melalui saluran diplomatik.', indent: 12 },
        {
          text: `SEBAGAI MENYAKSIKAN HAL DI ATAS, yang bertandatangan di bawah ini, yang diberi kuasa sewajarnya oleh Kerajaan masing-masing, telah menandatangani ${doc} ini dalam dua naskhah asal dalam ${languages.join(', ')}, semua teks adalah sama sahihnya. Sekiranya terdapat perbezaan tafsiran, teks bahasa Inggeris hendaklah digunakan.`,
        },
      ],
    };
  }
  return {
    head: [doc.toUpperCase(), 'ANTARA', names.join(' DAN ').toUpperCase(), 'TENTANG', subjectOf(title).toUpperCase()],
    blocks: [
      { text: `${names.join(' dan ')} (selanjutnya secara sendiri-sendiri disebut "Pihak" dan secara bersama-sama disebut "Para Pihak");` },
      { text: 'MENGINGAT hubungan persahabatan yang erat antara kedua negara;' },
      { text: 'BERKEINGINAN untuk menjamin pelindungan hak dan kesejahteraan warga negara masing-masing yang tinggal dan bekerja di wilayah Pihak lainnya;' },
      { text: 'SESUAI dengan hukum dan peraturan perundang-undangan yang berlaku di negara masing-masing;' },
      { text: 'TELAH MENCAPAI kesepahaman sebagai berikut:' },
      { heading: 'Pasal 1 - Tujuan' },
      { text: `${doc} ini menetapkan kerangka kerja sama antara Para Pihak di bidang sebagaimana tercantum dalam judulnya, dengan mengutamakan pelindungan warga negara.` },
      { heading: 'Pasal 2 - Ruang Lingkup Kerja Sama' },
      { text: '(1) pertukaran informasi mengenai perekrutan, penempatan dan pelindungan;', indent: 12 },
      { text: '(2) prosedur bersama penanganan kasus, termasuk akses kekonsuleran paling lambat 24 jam setelah pemberitahuan;', indent: 12 },
      { text: '(3) peningkatan kapasitas aparatur terkait;', indent: 12 },
      { text: '(4) kegiatan lain yang disepakati bersama oleh Para Pihak.', indent: 12 },
      ...ownClause(a, 'id'),
      { heading: 'Pasal 3 - Kelompok Kerja Bersama' },
      { text: 'Para Pihak membentuk Kelompok Kerja Bersama yang bersidang sekurang-kurangnya sekali setahun, secara bergantian di kedua negara atau secara daring, untuk memantau dan meninjau pelaksanaan instrumen ini.' },
      { heading: 'Pasal 4 - Pembiayaan' },
      { text: 'Setiap Pihak menanggung biayanya sendiri yang timbul dari pelaksanaan instrumen ini, sesuai dengan ketersediaan anggaran.' },
      { heading: 'Pasal 5 - Penyelesaian Perbedaan' },
      { text: 'Setiap perbedaan yang timbul dari penafsiran atau pelaksanaan instrumen ini diselesaikan secara damai melalui konsultasi atau perundingan antara Para Pihak melalui saluran diplomatik.' },
      { heading: 'Pasal 6 - Mulai Berlaku, Perubahan dan Pengakhiran' },
      { text: `(1) ${doc} ini mulai berlaku pada tanggal penandatanganan dan berlaku untuk jangka waktu ${years} tahun.`, indent: 12 },
      { text: '(2) Instrumen ini dapat diubah atas persetujuan tertulis Para Pihak.', indent: 12 },
      { text: '(3) Setiap Pihak dapat mengakhirinya dengan pemberitahuan tertulis enam bulan sebelumnya melalui saluran diplomatik.', indent: 12 },
      {
        text: `SEBAGAI BUKTI, yang bertanda tangan di bawah ini, yang diberi kuasa penuh oleh Pemerintah masing-masing, telah menandatangani ${doc} ini dalam rangkap dua dalam ${languages.join(', ')}; semua naskah sama otentiknya. Apabila terjadi perbedaan penafsiran, naskah bahasa Inggris yang berlaku.`,
      },
    ],
  };
}

function ownClause(a: AgreementRecord, lang: Lang): Block[] {
  const clause = OWN_CLAUSES[a.code]?.[lang];
  return clause ? [{ text: clause, indent: 12 }] : [];
}

/** A PKS between domestic agencies (Indonesian only): parties named as PIHAK KESATU, KEDUA... */
function cooperationText(a: AgreementRecord, title: string): { head: string[]; blocks: Block[] } {
  const ordinals = ['KESATU', 'KEDUA', 'KETIGA', 'KEEMPAT', 'KELIMA', 'KEENAM', 'KETUJUH', 'KEDELAPAN', 'KESEMBILAN'];
  const names = a.parties.map((p) => p.name);
  return {
    head: ['PERJANJIAN KERJA SAMA', 'ANTARA', names.join(' DENGAN ').toUpperCase(), 'TENTANG', subjectOf(title).toUpperCase()],
    blocks: [
      { text: 'Yang bertanda tangan di bawah ini:' },
      ...a.parties.map((p, i) => ({
        text: `${i + 1}. ${p.signatory?.name ?? '....................'}, ${p.signatory?.title ?? ''}, dalam hal ini bertindak untuk dan atas nama ${p.name}, selanjutnya disebut PIHAK ${ordinals[i] ?? i + 1};`,
        indent: 12,
      })),
      { text: 'Para Pihak sepakat untuk mengadakan Perjanjian Kerja Sama dengan ketentuan sebagai berikut:' },
      { heading: 'Pasal 1 - Maksud dan Tujuan' },
      { text: 'Perjanjian Kerja Sama ini dimaksudkan sebagai pedoman Para Pihak dalam melaksanakan kerja sama sesuai dengan tugas dan fungsi masing-masing, dengan tujuan meningkatkan pelayanan dan pelindungan Warga Negara Indonesia.' },
      { heading: 'Pasal 2 - Ruang Lingkup' },
      { text: '(1) pemanfaatan dan pertukaran data sesuai dengan ketentuan peraturan perundang-undangan;', indent: 12 },
      { text: '(2) integrasi layanan dan sistem informasi;', indent: 12 },
      { text: '(3) sosialisasi dan peningkatan kapasitas sumber daya manusia.', indent: 12 },
      { heading: 'Pasal 3 - Kerahasiaan dan Pelindungan Data' },
      { text: 'Para Pihak wajib menjaga kerahasiaan data pribadi yang dipertukarkan dan hanya menggunakannya untuk keperluan pelaksanaan Perjanjian Kerja Sama ini.' },
      { heading: 'Pasal 4 - Pembiayaan' },
      { text: 'Biaya pelaksanaan Perjanjian Kerja Sama ini dibebankan pada anggaran masing-masing Pihak sesuai dengan ketentuan peraturan perundang-undangan.' },
      { heading: 'Pasal 5 - Jangka Waktu' },
      { text: 'Perjanjian Kerja Sama ini berlaku selama 5 (lima) tahun sejak tanggal ditandatangani dan dapat diperpanjang atas kesepakatan Para Pihak.' },
      { heading: 'Pasal 6 - Penutup' },
      { text: `Perjanjian Kerja Sama ini dibuat dalam rangkap ${a.parties.length}, masing-masing bermeterai cukup dan mempunyai kekuatan hukum yang sama.` },
    ],
  };
}

/** A guideline (Pedoman) of the minister: chapters rather than articles. */
function guidelineText(a: AgreementRecord, title: string): { head: string[]; blocks: Block[] } {
  return {
    head: ['KEMENTERIAN LUAR NEGERI REPUBLIK INDONESIA', title.toUpperCase()],
    blocks: [
      { heading: 'BAB I - PENDAHULUAN' },
      { text: 'A. Latar Belakang. Pelindungan Warga Negara Indonesia di luar negeri menuntut penanganan yang cepat, seragam dan terdokumentasi di seluruh Perwakilan Republik Indonesia.' },
      { text: `B. Maksud dan Tujuan. ${title} ini menjadi acuan bagi Perwakilan Republik Indonesia dan unit terkait di Kementerian Luar Negeri.` },
      { text: 'C. Ruang Lingkup. Pedoman ini mengatur tahapan penanganan, pembagian peran, pelaporan dan evaluasi.' },
      { heading: 'BAB II - TAHAPAN PENANGANAN' },
      { text: '1. Penerimaan laporan dan verifikasi identitas serta status kewarganegaraan;', indent: 12 },
      { text: '2. Penilaian kebutuhan dan risiko, termasuk kebutuhan pendampingan hukum dan kesehatan;', indent: 12 },
      { text: '3. Pelaksanaan pelindungan dan koordinasi dengan otoritas setempat serta kementerian/lembaga terkait;', indent: 12 },
      { text: '4. Pelaporan melalui Portal Peduli WNI paling lambat 3 (tiga) hari kerja setelah setiap tahapan.', indent: 12 },
      { heading: 'BAB III - PENUTUP' },
      { text: 'Pedoman ini berlaku sejak tanggal ditetapkan dan dievaluasi sekurang-kurangnya sekali dalam 2 (dua) tahun.' },
    ],
  };
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 64;

/** Generates the PDF bytes for one demo document. */
export async function demoTextPdf(a: AgreementRecord, options: DemoTextOptions): Promise<Uint8Array> {
  const lang: Lang = options.language === 'ms' ? 'ms' : options.language === 'id' ? 'id' : 'en';
  const title = options.titles?.[options.language] ?? (options.language === 'ar' ? undefined : a.title[options.language]) ?? (lang === 'id' || lang === 'ms' ? a.title.id : a.title.en);
  const text = a.type === 'guideline' ? guidelineText(a, title) : a.type === 'cooperation_agreement' ? cooperationText(a, title) : internationalText(a, lang, title);

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setTitle(winAnsi(`${a.code} - ${title}`));
  doc.setLanguage(options.language);
  doc.setProducer('PWNI agreement tracker (demo data)');
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  const bold = await doc.embedFont(StandardFonts.TimesRomanBold);
  const sans = await doc.embedFont(StandardFonts.Helvetica);
  const named = languageName(options.language);
  const band =
    options.kind === 'signed'
      ? `${a.code} · Salinan naskah bertanda tangan / Signed copy · ${named.id} / ${named.en}`
      : `${a.code} · Naskah final ${named.id} / Final text in ${named.en}`;

  const w = new PageWriter(doc, font, bold, sans, band);
  if (options.language === 'ar') {
    w.paragraph(
      'Catatan demo: naskah otentik bahasa Arab ditampilkan dalam terjemahan bahasa Inggris karena huruf Arab tidak tersedia pada huruf standar PDF. / Demo note: the authentic Arabic text is shown in English, as the standard PDF fonts have no Arabic script.',
      { size: 8.5, font: sans, gap: 10 },
    );
  }
  for (const line of text.head) w.centred(line, 12);
  w.space(10);
  for (const block of text.blocks) {
    if ('heading' in block) {
      w.space(4);
      w.centred(block.heading, 10.5);
    } else {
      w.paragraph(block.text, { indent: block.indent });
    }
  }
  signatureBlocks(w, a, lang, options.signed);
  return doc.save({ useObjectStreams: true });
}

function signatureBlocks(w: PageWriter, a: AgreementRecord, lang: Lang, signed: DemoTextOptions['signed']): void {
  const made = { id: 'Dibuat di', en: 'Done at', ms: 'Dibuat di' }[lang];
  const on = { id: 'pada tanggal', en: 'on', ms: 'pada' }[lang];
  const forWord = { id: 'UNTUK', en: 'FOR', ms: 'BAGI PIHAK' }[lang];
  w.space(8);
  // the place and date stay on the page of the first signature blocks
  w.ensure(140);
  w.paragraph(`${made} ${signed?.place ?? '....................'} ${on} ${signed ? longDate(signed.date, lang) : '....................'}`);
  w.space(6);
  const colWidth = (A4[0] - 2 * MARGIN - 24) / 2;
  for (let i = 0; i < a.parties.length; i += 2) {
    w.ensure(96);
    const top = w.y;
    for (let c = 0; c < 2 && i + c < a.parties.length; c++) {
      const party = a.parties[i + c];
      const x = MARGIN + c * (colWidth + 24);
      let y = top;
      for (const line of wrap(w.bold, `${forWord} ${party.name.toUpperCase()}`, 9, colWidth)) {
        w.page.drawText(line, { x, y: y - 9, size: 9, font: w.bold });
        y -= 11;
      }
      if (signed) w.page.drawText('ttd. / signed', { x: x + 8, y: top - 50, size: 13, font: w.font, color: rgb(0.05, 0.15, 0.5) });
      w.page.drawLine({ start: { x, y: top - 60 }, end: { x: x + colWidth, y: top - 60 }, thickness: 0.6 });
      let ny = top - 72;
      for (const line of [party.signatory?.name ?? '', party.signatory?.title ?? ''].flatMap((t) => (t ? wrap(w.font, t, 9, colWidth) : [])).slice(0, 3)) {
        w.page.drawText(line, { x, y: ny, size: 9, font: w.font });
        ny -= 11;
      }
    }
    w.y = top - 110;
  }
}

class PageWriter {
  page!: PDFPage;
  y = 0;
  private pageNo = 0;
  constructor(
    private readonly doc: PDFDocument,
    readonly font: PDFFont,
    readonly bold: PDFFont,
    private readonly sans: PDFFont,
    private readonly band: string,
  ) {
    this.newPage();
  }
  private newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pageNo++;
    const text = winAnsi(`${this.band} · ${this.pageNo}`);
    this.page.drawRectangle({ x: MARGIN - 6, y: A4[1] - 42, width: A4[0] - 2 * MARGIN + 12, height: 16, color: rgb(0.93, 0.95, 0.98) });
    this.page.drawText(text, { x: MARGIN, y: A4[1] - 37, size: 7.5, font: this.sans, color: rgb(0.25, 0.3, 0.4) });
    this.y = A4[1] - 60;
  }
  ensure(height: number): void {
    if (this.y - height < MARGIN) this.newPage();
  }
  space(h: number): void {
    this.y -= h;
  }
  centred(text: string, size: number): void {
    for (const line of wrap(this.bold, text, size, A4[0] - 2 * MARGIN)) {
      this.ensure(size * 1.35);
      const width = this.bold.widthOfTextAtSize(line, size);
      this.page.drawText(line, { x: (A4[0] - width) / 2, y: this.y - size, size, font: this.bold });
      this.y -= size * 1.35;
    }
  }
  paragraph(text: string, opts: { indent?: number; size?: number; font?: PDFFont; gap?: number } = {}): void {
    const size = opts.size ?? 10;
    const font = opts.font ?? this.font;
    const indent = opts.indent ?? 0;
    for (const line of wrap(font, text, size, A4[0] - 2 * MARGIN - indent)) {
      this.ensure(size * 1.4);
      this.page.drawText(line, { x: MARGIN + indent, y: this.y - size, size, font, color: rgb(0.05, 0.05, 0.05) });
      this.y -= size * 1.4;
    }
    this.y -= opts.gap ?? 4;
  }
}
