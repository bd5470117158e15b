import { expect } from 'chai';
import request from 'supertest';
import { axeViolations, type BrowserHarness, PHONE, useBrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, patchVia } from '../support/agreements.js';

/**
 * The agreement page's history said only which fields an edit changed ("Yang diubah: Jangka
 * waktu") and nothing of a deadline's change: a backdated deadline or a new recipient could be
 * seen only in the exported JSON. Each change now reads from → to, in both languages.
 */
describe('web interface: the history shows what changed', function () {
  this.timeout(180_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let token: string;

  useBrowserHarness('web_history_details', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    token = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  const LONG_NOTE = `Kirim nota diplomatik kepada Kedutaan Besar Malaysia di Jakarta tentang ${'rancangan pasal perlindungan pekerja migran '.repeat(3)}`.trim();

  /** An MoU whose term, subjects, English title and a signatory's e-mail were edited, with a custom deadline moved a year earlier. */
  async function edited(): Promise<string> {
    const a = await createAgreementVia(b.t, token);
    const parties = a.parties.map((p: any) => ({
      id: p.id,
      name: p.name,
      kind: p.kind,
      country: p.country,
      signatory: { name: p.signatory.name, title: p.signatory.title, email: p.name === 'Malaysia' ? 'atase@kln.test' : p.signatory.email },
    }));
    await patchVia(b.t, token, a.id, {
      term: { durationMonths: 60, expiresAt: '2027-04-01', noticePeriodDays: 182 },
      subjects: ['pelindungan', 'konsuler'],
      title: { id: a.title.id, en: 'Memorandum on Consular Protection' },
      parties,
    });
    const created = await request(b.t.app)
      .post(`/api/agreements/${a.id}/deadlines`)
      .set(bearer(token))
      .send({ kind: 'custom', dueAt: '2031-01-15T10:00:00Z', recipients: ['a@kln.test'], note: 'Kirim nota' });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    const moved = await request(b.t.app)
      .patch(`/api/deadlines/${created.body.id}`)
      .set(bearer(token))
      .send({ version: created.body.version, dueAt: '2030-01-15T10:00:00Z', recipients: ['b@kln.test', 'c@kln.test'], note: LONG_NOTE, status: 'met' });
    expect(moved.status, JSON.stringify(moved.body)).to.equal(200);
    return a.id;
  }

  it('when an edit and a deadline change are recorded, then each changed field reads from → to at phone width, in both languages', async () => {
    const id = await edited();
    const cut = 'Kirim nota diplomatik kepada Kedutaan Besar Malaysia di Jakarta tentang…';
    const expected = {
      id: {
        updated: [
          'Masa berlaku: tidak ada → 5 tahun · berakhir 1 Apr 2027 · pemberitahuan 182 hari',
          'Pokok bahasan: pelindungan → pelindungan, konsuler',
          'Judul dalam bahasa Inggris: Test Memorandum of Understanding → Memorandum on Consular Protection',
          'Malaysia › E-mail penanda tangan: minister.my@test.local → atase@kln.test',
        ],
        deadline: [
          cut,
          'Tenggat: 15 Jan 2031, 17.00 WIB → 15 Jan 2030, 17.00 WIB',
          'Penerima: a@kln.test → b@kln.test, c@kln.test',
          `Keterangan: Kirim nota → ${cut}`,
          'Status: Berjalan → Terpenuhi',
        ],
      },
      en: {
        updated: [
          'Term: none → 5 years · ends 1 Apr 2027 · 182 days’ notice',
          'Subjects: pelindungan → pelindungan, konsuler',
          'Title in English: Test Memorandum of Understanding → Memorandum on Consular Protection',
          'Malaysia › Signatory’s e-mail: minister.my@test.local → atase@kln.test',
        ],
        deadline: [
          cut,
          'Due: 15 Jan 2031, 17:00 WIB → 15 Jan 2030, 17:00 WIB',
          'Recipients: a@kln.test → b@kln.test, c@kln.test',
          `Description: Kirim nota → ${cut}`,
          'Status: Open → Met',
        ],
      },
    };
    for (const lang of ['id', 'en'] as const) {
      const page = await b.signIn(await b.newContext({ viewport: PHONE, lang }), drafter);
      await page.goto(`${b.baseUrl}/#/agreements/${id}`);
      await page.waitForSelector('#history tr[data-action="deadline_updated"]');
      const lines = (action: string) => page.locator(`#history tr[data-action="${action}"] .event-detail > *`).allTextContents();
      expect(await lines('updated'), lang).to.deep.equal(expected[lang].updated);
      expect(await lines('deadline_updated'), lang).to.deep.equal(expected[lang].deadline);
      // the whole note is kept in the title of what was cut
      expect(await page.locator(`#history tr[data-action="deadline_updated"] span[title="${LONG_NOTE}"]`).count(), lang).to.equal(2);
      // nothing sticks out of the card on a phone
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, lang).to.be.at.most(0);
      expect(await axeViolations(page)).to.deep.equal([]);
      await page.locator('#history tr[data-action="updated"]').scrollIntoViewIfNeeded();
      await b.shot(page, `history-details-${lang}-phone`, { fullPage: false });
      await page.locator('#history tr[data-action="deadline_updated"]').scrollIntoViewIfNeeded();
      await b.shot(page, `history-deadline-${lang}-phone`, { fullPage: false });
    }
  });
});
