import { expect } from 'chai';
import request from 'supertest';
import type { BrowserContext, Page } from 'playwright-core';
import { countLiveChanges, liveChanges, PHONE, useBrowserHarness, type BrowserHarness } from '../support/browser.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, patchVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { uploadVia } from '../support/documents.js';
import { textPdf } from '../support/pdf-fixtures.js';

/**
 * The work on one agreement besides its stages: editing, rounds tied to drafts, links found by
 * search, deadlines in a mission's zone, reminders paused, comments; and the safety nets: a
 * stale version saves nothing and says so, an abandonment asks for confirmation and a reason.
 */
describe('web interface: working on an agreement', function () {
  this.timeout(120_000);

  let b: BrowserHarness;
  let drafter: TestUser;
  let diplomat: TestUser;
  let token: string;
  let context: BrowserContext | undefined;

  useBrowserHarness('web_work', async (harness) => {
    b = harness;
    drafter = await createUser(b.t, { role: 'drafter', name: 'Rina Perancang' });
    diplomat = await createUser(b.t, { role: 'diplomat', name: 'Dimas Diplomat' });
    token = (await loginAs(b.t, 'drafter', { user: drafter })).token;
  });

  async function open(user: TestUser, id: string, options: { lang?: 'id' | 'en'; phone?: boolean } = {}): Promise<Page> {
    context = await b.newContext({ lang: options.lang, viewport: options.phone ? PHONE : undefined });
    const page = await b.signIn(context, user);
    await page.goto(`${b.baseUrl}/#/agreements/${id}`);
    await page.waitForSelector('#next-steps h2');
    return page;
  }

  const flash = (page: Page, text: string) => page.waitForFunction((t) => document.querySelector('#detail-flash')?.textContent === t, text);

  it('when a drafter edits the parties, then a third party is added and a signatory changed, and the history records it', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'PKS Uji Ubah', en: 'Edit Test PKS' }, type: 'cooperation_agreement', authenticLanguages: ['id'] });
    const page = await open(drafter, a.id);
    await page.click('#edit-agreement');
    await page.waitForSelector('#agreement-form');
    expect(await page.locator('h1').textContent()).to.equal('Ubah data perjanjian');
    expect(await page.isDisabled('#type')).to.equal(true);
    await page.fill('#parties-1-signatory-name', 'Menteri Sumber Daya Manusia');
    await page.click('#add-party');
    await page.fill('#parties-2-name', 'Lembaga Perlindungan Saksi dan Korban');
    await page.fill('#parties-2-signatory-name', 'Ketua LPSK');
    await b.shot(page, 'form-edit-id');
    await page.click('#form-submit');
    await flash(page, 'Perubahan disimpan.');
    expect(await page.locator('#parties tbody tr').count()).to.equal(3);
    expect(await page.locator('#parties tbody tr').nth(1).textContent()).to.contain('Menteri Sumber Daya Manusia');
    const stored = await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(token));
    expect(stored.body.parties.map((p: any) => p.name)).to.deep.equal(['Republik Indonesia', 'Malaysia', 'Lembaga Perlindungan Saksi dan Korban']);
    expect(stored.body.parties[0].id).to.equal(a.parties[0].id);
    expect(await page.locator('#history tbody tr').last().getAttribute('data-action')).to.equal('updated');
  });

  it('when the agreement changed since the page was opened, then a move says nothing was saved and offers to reload', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Basi', en: 'Stale Test MoU' } });
    context = await b.newContext();
    // without live updates (a proxy that buffers them, a dropped connection) the page keeps its version
    await context.route('**/api/events*', (route) => route.fulfill({ status: 204 }));
    const page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await page.waitForSelector('#next-steps h2');
    // someone else edits it meanwhile
    await patchVia(b.t, token, a.id, { subjects: ['diubah orang lain'] });
    await page.click('button.move[data-to="interagency_consultation"]');
    await page.fill('#confirm-note', 'Dikirim ke K/L');
    await page.click('#confirm-dialog-ok');
    const stale = page.locator('#stale-notice');
    await stale.waitFor();
    expect(await stale.textContent()).to.contain('Tidak ada yang disimpan.');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('stale-notice');
    const unchanged = await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(token));
    expect(unchanged.body.stage).to.equal('drafting');
    await b.shot(page, 'detail-stale-id');
    await page.click('#stale-reload');
    await page.waitForFunction(() => !document.querySelector('#stale-notice') && document.querySelector('#summary')?.textContent?.includes('diubah orang lain'));
    await page.click('button.move[data-to="interagency_consultation"]');
    await page.click('#confirm-dialog-ok');
    await flash(page, 'Tahap diubah menjadi: Konsultasi antarinstansi');
  });

  it('when a drafter abandons an agreement, then a dialog asks for confirmation and a reason, and the reason is in the history', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Batal', en: 'Abandon Test MoU' } });
    const page = await open(drafter, a.id, { lang: 'en' });
    await page.click('button.move[data-to="abandoned"]');
    await page.waitForSelector('#confirm-dialog');
    expect(await page.locator('#confirm-dialog h2').textContent()).to.equal('Move to “Abandoned”?');
    // cancelled: nothing happens
    await page.click('#confirm-dialog-cancel');
    await page.waitForSelector('#confirm-dialog', { state: 'detached' });
    expect((await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(token))).body.stage).to.equal('drafting');

    await page.click('button.move[data-to="abandoned"]');
    await page.waitForSelector('#confirm-dialog');
    await page.click('#confirm-dialog-ok');
    expect(await page.locator('#confirm-dialog .alert').textContent()).to.equal('Give the reason.');
    expect(await page.getAttribute('#confirm-reason', 'aria-invalid')).to.equal('true');
    await b.shot(page, 'confirm-abandon-en', { fullPage: false });
    await page.fill('#confirm-reason', 'Malaysia withdrew from the talks');
    await page.click('#confirm-dialog-ok');
    await flash(page, 'Stage changed to: Abandoned');
    const last = page.locator('#history tbody tr').last();
    expect(await last.locator('blockquote.note').textContent()).to.equal('Malaysia withdrew from the talks');
  });

  it('when a drafter takes a partly signed agreement back to negotiation, then the dialog says the signatures become void and asks for a reason, kept in the history', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Buka Kembali', en: 'Reopen Test MoU' } });
    const ready = await toAwaitingSignature(b.t, token, a.id);
    expect((await signVia(b.t, token, a.id, ready.parties[0].id)).body.stage).to.equal('partially_signed');
    const page = await open(drafter, a.id, { phone: true });
    await page.click('button.move[data-to="negotiation"]');
    await page.waitForSelector('#confirm-dialog');
    expect(await page.locator('#confirm-dialog h2').textContent()).to.equal('Pindahkan ke “Perundingan”?');
    expect(await page.locator('#confirm-dialog').textContent()).to.include(
      'Naskah yang sudah disepakati dibuka kembali untuk diubah: tahap berubah dari “Ditandatangani sebagian” menjadi “Perundingan”. Persetujuan para pihak atas naskah itu dan 1 tanda tangan yang sudah dicatat menjadi batal',
    );
    expect(await page.locator('label[for="confirm-reason"]').textContent()).to.equal('Alasan (dicatat dalam riwayat)');
    await page.click('#confirm-dialog-ok');
    expect(await page.locator('#confirm-dialog .alert').textContent()).to.equal('Tuliskan alasannya.');
    await b.shot(page, 'confirm-reopen-id-phone', { fullPage: false });
    const still = (await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(token))).body;
    expect(still.stage).to.equal('partially_signed');
    await page.fill('#confirm-reason', 'Pasal 7 dirundingkan ulang');
    await page.click('#confirm-dialog-ok');
    await flash(page, 'Tahap diubah menjadi: Perundingan');
    const moved = (await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(token))).body;
    expect(moved.parties[0]).to.deep.include({ status: 'pending', signature: null });
  });

  it('when a round is recorded with the draft it discussed, then it is listed with that draft', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Putaran', en: 'Round Test MoU' } });
    await moveVia(b.t, token, a.id, 'negotiation');
    const up = await uploadVia(b.t, token, a.id, { kind: 'draft', language: 'id', fileName: 'draf-putaran-1.pdf' });
    expect(up.status).to.equal(201);
    const page = await open(drafter, a.id);
    await page.click('#round-add');
    await page.waitForSelector('#round-dialog');
    await page.fill('#venue', 'Kuala Lumpur');
    await page.selectOption('#draftIn', up.body.id);
    await page.fill('#outcome', 'Pasal 5 disepakati');
    await page.click('#round-dialog-ok');
    await flash(page, 'Putaran 1 dicatat.');
    const round = page.locator('#rounds-list li').first();
    expect(await round.textContent()).to.contain('Kuala Lumpur');
    expect(await round.locator('.round-drafts').textContent()).to.equal('membahas draf-putaran-1.pdf (v1)');
    expect(await round.locator('blockquote').textContent()).to.equal('Pasal 5 disepakati');
  });

  it('when a link is added by searching for the other agreement, then it is listed and leads there', async () => {
    const older = await createAgreementVia(b.t, token, { title: { id: 'Pengaturan Teknis SPSK Lama', en: 'Old SPSK Technical Arrangement' }, type: 'technical_arrangement' });
    const a = await createAgreementVia(b.t, token, { title: { id: 'Pengaturan Teknis SPSK Baru', en: 'New SPSK Technical Arrangement' }, type: 'technical_arrangement' });
    const page = await open(drafter, a.id);
    await page.selectOption('#link-type', 'renews');
    await page.fill('#link-search', 'spsk lama');
    const choose = page.locator(`#link-results button[data-id="${older.id}"]`);
    await choose.waitFor();
    // the agreement itself is never offered
    expect(await page.locator(`#link-results button[data-id="${a.id}"]`).count()).to.equal(0);
    await choose.click();
    await flash(page, `Tautan dicatat: memperbarui ${older.code}.`);
    const link = page.locator('#links-list li').first();
    expect(await link.textContent()).to.contain(`memperbarui ${older.code}`);
    await link.locator('a').click();
    await page.waitForFunction((title) => document.querySelector('h1')?.textContent === title, 'Pengaturan Teknis SPSK Lama');
    // and read from the other end
    await page.waitForSelector('#links-list');
    expect(await page.locator('#links-list li').first().textContent()).to.contain(`diperbarui oleh ${a.code}`);
  });

  it('when a deadline is set in a mission’s zone, then it shows in that zone, said so, and can be changed and closed', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Tenggat', en: 'Deadline Test MoU' } });
    const page = await open(diplomat, a.id);
    await page.click('#deadline-add');
    await page.waitForSelector('#deadline-dialog');
    await page.selectOption('#kind', 'custom');
    await page.fill('#dueAt', '2037-01-15');
    await page.fill('#dueTime', '17:00');
    await page.selectOption('#timezone', 'Asia/Riyadh');
    await page.fill('#note', 'Tanggapan KBRI Riyadh');
    await page.click('#deadline-dialog-ok');
    await flash(page, 'Tenggat ditambahkan.');
    const item = page.locator('#deadlines-open li', { hasText: 'Tanggapan KBRI Riyadh' });
    expect(await item.locator('.deadline-when').textContent()).to.equal('15 Jan 2037, 17.00 GMT+3 (waktu Riyadh)');
    expect(await item.locator('time').getAttribute('datetime')).to.equal('2037-01-15T14:00:00.000Z');
    await b.shot(page, 'deadlines-id');

    await item.locator('button.deadline-change').click();
    await page.waitForSelector('#deadline-dialog');
    expect(await page.inputValue('#dueAt')).to.equal('2037-01-15');
    await page.fill('#dueAt', '2037-01-20');
    await page.click('#deadline-dialog-ok');
    await flash(page, 'Tenggat diubah.');
    expect(await item.locator('time').getAttribute('datetime')).to.equal('2037-01-20T14:00:00.000Z');

    await item.locator('button.deadline-close').click();
    await page.waitForSelector('#close-dialog');
    await page.check('#close-met');
    await page.click('#close-dialog-ok');
    await flash(page, 'Tenggat ditutup: Terpenuhi.');
    expect(await page.locator('#deadlines-open li', { hasText: 'Tanggapan KBRI Riyadh' }).count()).to.equal(0);
  });

  it('when a deadline’s date has already passed, then the dialog asks to confirm it, saves nothing until then, and the deadline shows overdue', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Tenggat Lewat', en: 'Past Deadline Test MoU' } });
    const page = await open(diplomat, a.id, { lang: 'en', phone: true });
    const deadlines = async () => (await request(b.t.app).get(`/api/agreements/${a.id}/deadlines`).set(bearer(token))).body;
    const before = await deadlines();
    await page.click('#deadline-add');
    await page.waitForSelector('#deadline-dialog');
    // the party is asked only for a signing deadline
    await page.selectOption('#kind', 'signing_due');
    expect(await page.isVisible('#partyId')).to.equal(true);
    await page.selectOption('#kind', 'custom');
    expect(await page.isVisible('#partyId')).to.equal(false);
    await page.fill('#dueAt', '2021-03-02');
    await page.fill('#dueTime', '10:00');
    await page.selectOption('#timezone', 'Asia/Jakarta');
    await page.fill('#note', 'Notulen rapat teknis');
    await page.click('#deadline-dialog-ok');
    const alert = page.locator('#deadline-dialog [role="alert"]');
    await alert.waitFor();
    expect(await alert.textContent()).to.equal(
      'This time has already passed (2 Mar 2021, 10:00 WIB): the deadline will be overdue as soon as it is saved. Check the date, or tick the box below if it is right.',
    );
    expect(await page.isVisible('#deadline-past-confirm')).to.equal(true);
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('deadline-past-confirm');
    expect(await deadlines()).to.deep.equal(before);
    await b.shot(page, 'deadline-past-en-phone', { fullPage: false });

    // a changed date asks again
    await page.check('#deadline-past-confirm');
    await page.fill('#dueAt', '2021-03-03');
    expect(await page.isVisible('#deadline-past-confirm')).to.equal(false);
    await page.click('#deadline-dialog-ok');
    await alert.waitFor();
    await page.check('#deadline-past-confirm');
    await page.click('#deadline-dialog-ok');
    await flash(page, 'Deadline added.');
    const item = page.locator('#deadlines-open li', { hasText: 'Notulen rapat teknis' });
    expect(await item.locator('time').getAttribute('datetime')).to.equal('2021-03-03T03:00:00.000Z');
    expect(await item.textContent()).to.match(/overdue/i);
    const after = await deadlines();
    expect(after.items.map((d: any) => d.note)).to.have.members([...before.items.map((d: any) => d.note), 'Notulen rapat teknis']);

    // in Indonesian, on a laptop
    const id = await open(diplomat, a.id);
    await id.click('#deadline-add');
    await id.waitForSelector('#deadline-dialog');
    await id.fill('#dueAt', '2021-03-02');
    await id.fill('#dueTime', '10:00');
    await id.selectOption('#timezone', 'Asia/Jakarta');
    await id.click('#deadline-dialog-ok');
    await id.locator('#deadline-dialog [role="alert"]').waitFor();
    expect(await id.locator('#deadline-dialog [role="alert"]').textContent()).to.equal(
      'Waktu ini sudah lewat (2 Mar 2021, 10.00 WIB): tenggat akan langsung terlambat begitu disimpan. Periksa tanggalnya, atau centang kotak di bawah jika memang benar.',
    );
    expect(await id.locator('label.check', { has: id.locator('#deadline-past-confirm') }).textContent()).to.contain('Tanggal ini benar');
    await b.shot(id, 'deadline-past-id-laptop', { fullPage: false });
  });

  it('when a drafter adds a deadline on a phone, in either language, then every field of the dialog fits the screen, none cut off at its right edge', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Tenggat Ponsel', en: 'Phone Deadline Test MoU' } });
    for (const lang of ['id', 'en'] as const) {
      const page = await open(drafter, a.id, { lang, phone: true });
      await page.click('#deadline-add');
      await page.waitForSelector('#deadline-dialog[open]');
      // the kind list names "Batas akhir pemberitahuan perpanjangan atau pengakhiran": a select is as wide as its longest option unless told otherwise
      const cut = await page.evaluate(() => {
        const dialog = document.getElementById('deadline-dialog')!;
        const edge = dialog.getBoundingClientRect().left + dialog.clientWidth;
        return [...dialog.querySelectorAll<HTMLElement>('input, select, textarea, button, .hint')]
          .filter((el) => el.offsetParent !== null && el.getBoundingClientRect().right > edge + 0.5)
          .map((el) => el.id || el.textContent);
      });
      expect(cut, `cut off (${lang})`).to.deep.equal([]);
      expect(await page.locator('#deadline-dialog').evaluate((el) => el.scrollWidth - el.clientWidth), `sideways scroll (${lang})`).to.be.at.most(0);
      await b.shot(page, `deadline-dialog-${lang}-phone`, { fullPage: false });
      await context?.close();
    }
  });

  it('when reminders are paused and a comment is posted, then both show and the comment is in the history', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Komentar', en: 'Comment Test MoU' } });
    const page = await open(diplomat, a.id, { lang: 'en', phone: true });
    await page.click('#reminders-toggle');
    await flash(page, 'Reminders paused.');
    expect(await page.locator('#reminders-state').textContent()).to.equal('Reminders are paused: none are sent for this agreement.');
    expect((await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(token))).body.remindersPaused).to.equal(true);

    await page.click('#comment-submit');
    expect(await page.locator('#comment-error').textContent()).to.equal('Write the comment first.');
    await page.fill('#comment-text', 'KBRI Kuala Lumpur confirms the venue.');
    await page.click('#comment-submit');
    await flash(page, 'Comment posted.');
    expect(await page.locator('#comments-list li').first().textContent()).to.contain('KBRI Kuala Lumpur confirms the venue.');
    expect(await page.locator('#comments-list li').first().textContent()).to.contain('Dimas Diplomat');
    expect(await page.locator('#history tbody tr').last().getAttribute('data-action')).to.equal('comment');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(PHONE.width);
    await b.shot(page, 'detail-comments-en-phone');

    await page.click('#reminders-toggle');
    await flash(page, 'Reminders resumed.');
  });

  it('when a comment is posted, on a phone or a laptop, then the new comment and the notice under it are on screen, the notice has focus, and a link search being typed is kept', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Komentar Terlihat', en: 'Comment In View Test MoU' } });
    for (const text of ['Draf dikirim ke mitra.', 'Mitra meminta jadwal putaran kedua.', 'KBRI Kuala Lumpur mengonfirmasi tempat.']) {
      expect((await request(b.t.app).post(`/api/agreements/${a.id}/comments`).set(bearer(token)).send({ text })).status).to.equal(201);
    }
    const cases = [
      { lang: 'id' as const, phone: true, text: 'Tim hukum sudah membaca Pasal 5.', notice: 'Komentar dikirim.' },
      { lang: 'en' as const, phone: true, text: 'The legal team has read Article 5.', notice: 'Comment posted.' },
      { lang: 'en' as const, phone: false, text: 'BP2MI agrees with the wording.', notice: 'Comment posted.' },
      { lang: 'id' as const, phone: false, text: 'BP2MI setuju dengan rumusannya.', notice: 'Komentar dikirim.' },
    ];
    for (const { lang, phone, text, notice } of cases) {
      const page = await open(drafter, a.id, { lang, phone });
      await page.fill('#link-search', 'mou tki');
      await page.fill('#comment-text', text);
      await page.click('#comment-submit');
      await flash(page, notice);
      const newest = page.locator('#comments-list li').last();
      expect(await newest.textContent()).to.contain(text);
      expect(await onScreen(page, '#comments-list li:last-child'), `new comment on screen (${lang})`).to.equal(true);
      expect(await onScreen(page, '#detail-flash'), `notice on screen (${lang})`).to.equal(true);
      // read out where the comments are: under the list, and focused
      expect(await page.locator('#detail-flash').evaluate((el) => el.previousElementSibling?.id), lang).to.equal('comments-list');
      expect(await page.locator('#detail-flash').getAttribute('role')).to.equal('status');
      expect(await page.evaluate(() => document.activeElement?.id)).to.equal('detail-flash');
      expect(await page.inputValue('#link-search'), `typed search kept (${lang})`).to.equal('mou tki');
      expect(await page.inputValue('#comment-text'), `posted words not put back (${lang})`).to.equal('');
      await b.shot(page, `detail-comment-posted-${lang}-${phone ? 'phone' : 'laptop'}`, { fullPage: false });
      await context?.close();
    }
  });

  /** Whether the element is wholly inside the window, as the reader sees it without scrolling. */
  const onScreen = (page: Page, selector: string) =>
    page.locator(selector).evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
    });

  /** Puts words in the comment field and the link search, which a change made in a dialog must keep. */
  async function typeElsewhere(page: Page) {
    await page.fill('#link-search', 'mou tki');
    await page.fill('#comment-text', 'Draf komentar yang belum dikirim');
  }

  /** The notice is under `list`, read out and focused, it and `item` on screen, and the typed words kept. */
  async function resultInView(page: Page, { list, item, notice, label }: { list: string; item: string; notice: string; label: string }) {
    await flash(page, notice);
    expect(await page.locator('#detail-flash').evaluate((el) => el.previousElementSibling?.id), `notice under the list (${label})`).to.equal(list);
    expect(await page.locator('#detail-flash').getAttribute('role')).to.equal('status');
    expect(await page.evaluate(() => document.activeElement?.id), `notice focused (${label})`).to.equal('detail-flash');
    expect(await onScreen(page, item), `result on screen (${label})`).to.equal(true);
    expect(await onScreen(page, '#detail-flash'), `notice on screen (${label})`).to.equal(true);
    expect(await page.inputValue('#link-search'), `typed search kept (${label})`).to.equal('mou tki');
    expect(await page.inputValue('#comment-text'), `comment being written kept (${label})`).to.equal('Draf komentar yang belum dikirim');
  }

  it('when a round is recorded in its dialog, on a phone or a laptop, then the new round and the notice under it are on screen, the notice has focus, and words typed elsewhere on the page are kept', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Putaran Terlihat', en: 'Round In View Test MoU' } });
    await moveVia(b.t, token, a.id, 'negotiation');
    for (const venue of ['Jakarta', 'Putrajaya']) {
      const res = await request(b.t.app).post(`/api/agreements/${a.id}/rounds`).set(bearer(token)).send({ date: '2026-03-02T05:00:00.000Z', venue, version: (await request(b.t.app).get(`/api/agreements/${a.id}`).set(bearer(token))).body.version });
      expect(res.body.rounds.at(-1).venue).to.equal(venue);
    }
    const cases = [
      { lang: 'id' as const, phone: true, venue: 'Kuala Lumpur', notice: 'Putaran 3 dicatat.' },
      { lang: 'en' as const, phone: false, venue: 'Bogor', notice: 'Round 4 recorded.' },
    ];
    for (const { lang, phone, venue, notice } of cases) {
      context = await b.newContext({ lang, viewport: phone ? PHONE : { width: 1280, height: 800 } });
      const page = await b.signIn(context, drafter);
      await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
      await page.waitForSelector('#next-steps h2');
      await typeElsewhere(page);
      await page.click('#round-add');
      await page.fill('#venue', venue);
      await page.click('#round-dialog-ok');
      await resultInView(page, { list: 'rounds-list', item: '#rounds-list li:last-child', notice, label: lang });
      expect(await page.locator('#rounds-list li').last().textContent()).to.contain(venue);
      await b.shot(page, `detail-round-added-${lang}-${phone ? 'phone' : 'laptop'}`, { fullPage: false });
      await context.close();
    }
  });

  it('when a document is uploaded from the documents card, on a phone, or as a new final text through the reopen dialog on a laptop, then the notice stands right above the new version (the list is newest first), both on screen, the notice focused, and words typed elsewhere kept', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Unggah Terlihat', en: 'Upload In View Test MoU' } });
    for (let i = 0; i < 2; i++) expect((await uploadVia(b.t, token, a.id, { kind: 'draft' })).status).to.equal(201);
    const upload = async (page: Page, name: string, kind: string) => {
      await page.click('#upload-panel summary');
      await page.selectOption('#upload-kind', kind);
      await page.setInputFiles('#upload-file', { name, mimeType: 'application/pdf', buffer: await textPdf(2, { title: name }) });
      await page.click('#upload-submit');
    };
    /** The new version heads the list, newest first, right under the notice. */
    const newest = async (page: Page, name: string) => {
      const row = page.locator('#documents tbody tr').first();
      expect(await row.locator('.file-name').textContent()).to.equal(name);
      expect(await page.locator('#detail-flash').evaluate((el) => el.nextElementSibling?.matches('.table-wrap:has(> table.documents-table)'))).to.equal(true);
      return `tr[data-document="${await row.getAttribute('data-document')}"]`;
    };

    let page = await open(drafter, a.id, { phone: true });
    await typeElsewhere(page);
    await upload(page, 'rancangan-3.pdf', 'draft');
    await flash(page, 'Berkas diunggah: rancangan-3.pdf (versi 3).');
    await resultInView(page, { list: 'upload-panel', item: await newest(page, 'rancangan-3.pdf'), notice: 'Berkas diunggah: rancangan-3.pdf (versi 3).', label: 'uploaded' });
    await b.shot(page, 'detail-uploaded-id-phone', { fullPage: false });
    await context!.close();

    // the text agreed: a new final text asks first, in a dialog, and is then said as any upload
    const ready = await toAwaitingSignature(b.t, token, a.id);
    expect(ready.stage).to.equal('awaiting_signature');
    context = await b.newContext({ lang: 'en', viewport: { width: 1280, height: 800 } });
    page = await b.signIn(context, drafter);
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await page.waitForSelector('#next-steps h2');
    await typeElsewhere(page);
    await upload(page, 'final-text-id-2.pdf', 'final');
    await page.waitForSelector('#reopen-dialog');
    await page.fill('#reopen-reason', 'Malaysia asked for a change to Article 5');
    await page.click('#reopen-dialog-ok');
    await flash(page, 'File uploaded: final-text-id-2.pdf (version 2).');
    await resultInView(page, { list: 'upload-panel', item: await newest(page, 'final-text-id-2.pdf'), notice: 'File uploaded: final-text-id-2.pdf (version 2).', label: 'reopened' });
    expect(await page.locator('#agreement-stage .badge.stage').textContent()).to.equal('Negotiation');
    await b.shot(page, 'detail-uploaded-reopened-en-laptop', { fullPage: false });
  });

  it('when a deadline is added, reminders paused, or a signature recorded on a phone, then each result and its notice are on screen, the notice focused, and words typed elsewhere kept', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Dialog Terlihat', en: 'Dialog In View Test MoU' } });
    const ready = await toAwaitingSignature(b.t, token, a.id);
    const page = await open(drafter, a.id, { phone: true });

    await typeElsewhere(page);
    await page.click('#deadline-add');
    await page.selectOption('#kind', 'custom');
    await page.fill('#dueAt', '2037-02-10');
    await page.fill('#note', 'Jawaban Kemnaker');
    await page.click('#deadline-dialog-ok');
    await resultInView(page, { list: 'deadlines-list', item: '#deadlines-open li:has-text("Jawaban Kemnaker")', notice: 'Tenggat ditambahkan.', label: 'deadline added' });

    await page.click('#reminders-toggle');
    await resultInView(page, { list: 'reminders-control', item: '#reminders-state', notice: 'Pengingat dijeda.', label: 'reminders paused' });
    await b.shot(page, 'detail-reminders-paused-id-phone', { fullPage: false });

    const malaysia = ready.parties[1];
    await page.locator(`tr[data-party="${malaysia.id}"] button.sign-party`).click();
    await page.fill('#place', 'Putrajaya');
    await page.click('#sign-dialog-ok');
    await resultInView(page, { list: 'parties-list', item: `tr[data-party="${malaysia.id}"]`, notice: `Tanda tangan ${malaysia.name} dicatat. 1 dari 2 sudah menandatangani.`, label: 'signed' });
    expect(await page.locator(`tr[data-party="${malaysia.id}"]`).getAttribute('data-status')).to.equal('signed');
    await b.shot(page, 'detail-signed-in-view-id-phone', { fullPage: false });
  });

  it('when someone else changes the agreement while a comment is being typed, then the page keeps still and shows the change as soon as the field is left, the typed words kept', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Ubahan Saat Mengetik', en: 'Change While Typing Test MoU' } });
    context = await b.newContext({ lang: 'en' });
    await countLiveChanges(context);
    const page = await b.signIn(context, diplomat);
    await page.goto(`${b.baseUrl}/#/agreements/${a.id}`);
    await page.waitForSelector('#next-steps h2');
    const changed = 'Someone else has just changed this agreement; the page has been reloaded.';
    // a first change while nothing is being typed: the page shows it at once (and the live connection is open)
    const first = await request(b.t.app).post(`/api/agreements/${a.id}/comments`).set(bearer(token)).send({ text: 'Draft sent to the partner.' });
    expect(first.status).to.equal(201);
    await flash(page, changed);
    expect(await page.locator('#comments-list li').count()).to.equal(1);

    await page.fill('#comment-text', 'KBRI Doha asks for the agenda');
    const before = await liveChanges(page);
    await moveVia(b.t, token, a.id, 'interagency_consultation');
    await page.waitForFunction((n) => (window as any).__changes > n, before);
    // not redrawn under the typing hand
    expect(await page.locator('#agreement-stage [data-stage]').getAttribute('data-stage')).to.equal('drafting');
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('comment-text');

    await page.keyboard.press('Tab');
    await page.waitForSelector('#agreement-stage [data-stage="interagency_consultation"]');
    expect(await page.locator('#detail-flash').textContent()).to.equal(changed);
    expect(await page.inputValue('#comment-text')).to.equal('KBRI Doha asks for the agenda');
  });

  it('when a diplomat opens an agreement, then no drafting tools are offered', async () => {
    const a = await createAgreementVia(b.t, token, { title: { id: 'MoU Uji Diplomat', en: 'Diplomat Test MoU' } });
    const page = await open(diplomat, a.id);
    for (const selector of ['#edit-agreement', '#upload-panel', '#round-add', '#link-form', 'button.sign-party', '#nav-new']) {
      expect(await page.locator(selector).count(), selector).to.equal(0);
    }
    expect(await page.locator('#comment-text').count()).to.equal(1);
  });
});
