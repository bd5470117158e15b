import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, buildAgreement, createAgreementVia, moveVia, patchVia, signVia, toAwaitingSignature } from '../support/agreements.js';
import { inWords } from '../support/days.js';
import { uploadSignedCopy } from '../support/documents.js';
import { expectError } from '../support/errors.js';
import { HQ_TIMEZONE, localDate } from '../../workflows/business-days.js';

const DAY = 86_400_000;

describe('the term of an agreement in force: its expiry and renewal-notice deadlines follow every edit', () => {
  let t: TestApp;
  let drafter: string;
  before(async () => {
    t = await createTestApp({ label: 'term' });
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
  });
  after(async () => t?.close());

  /** An MoU signed by both parties `daysAgo` days ago and in force since that day, with no term recorded. */
  async function inForce(daysAgo = 0): Promise<{ id: string; since: string }> {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    // in force from the day of its signing (not before it: the move would be refused)
    const since = daysAfter(localDate(t.ctx.clock.now(), HQ_TIMEZONE), -daysAgo);
    const signedAt = daysAgo ? { signedAt: `${since}T03:00:00Z`, earlierThanSigningConfirmed: true } : {};
    for (const p of ready.parties) expect((await signVia(t, drafter, a.id, p.id, signedAt)).status).to.equal(200);
    await uploadSignedCopy(t, drafter, a.id);
    await moveVia(t, drafter, a.id, 'in_force', { entryIntoForce: { date: since, basis: 'on_signature' } });
    return { id: a.id, since };
  }
  const deadlinesOf = async (id: string) => (await request(t.app).get(`/api/agreements/${id}/deadlines`).set(bearer(drafter))).body.items as any[];
  const termDeadlines = async (id: string) =>
    (await deadlinesOf(id))
      .filter((d) => d.kind === 'expiry' || d.kind === 'renewal_notice')
      .map((d) => [d.kind, d.dueAt, d.status])
      .sort((x, y) => `${x[0]}${x[1]}`.localeCompare(`${y[0]}${y[1]}`));
  const isoDay = (d: string) => `${d}T00:00:00.000Z`;
  /** A term's deadline falls at 17:00 WIB on its day, when stage deadlines fall too (10:00 UTC). */
  const closeOf = (d: string) => `${d}T10:00:00.000Z`;
  const daysAfter = (d: string, n: number) => new Date(Date.parse(isoDay(d)) + n * DAY).toISOString().slice(0, 10);

  it('when the term of an agreement already in force is recorded, then its expiry and the last day to give notice become open deadlines, and the history keeps the edit', async () => {
    const { id, since } = await inForce();
    expect(await termDeadlines(id)).to.deep.equal([]);
    const expires = daysAfter(since, 5 * 365);
    const saved = await patchVia(t, drafter, id, { term: { durationMonths: 60, expiresAt: expires, noticePeriodDays: 182 } });
    expect(saved.term).to.deep.equal({ durationMonths: 60, expiresAt: isoDay(expires), noticePeriodDays: 182 });
    expect(await termDeadlines(id)).to.deep.equal([
      ['expiry', closeOf(expires), 'open'],
      ['renewal_notice', closeOf(daysAfter(expires, -182)), 'open'],
    ]);
    const history = (await request(t.app).get(`/api/agreements/${id}/history`).set(bearer(drafter))).body.items;
    expect(history.at(-1)).to.deep.include({ action: 'updated' });
    expect(history.at(-1).changes.term.to).to.deep.equal({ durationMonths: 60, expiresAt: isoDay(expires), noticePeriodDays: 182 });
  });

  it('when the term is extended, then the old days are cancelled and the new ones open, one of each; when it is taken away, then none stays open', async () => {
    const { id, since } = await inForce();
    const first = daysAfter(since, 3 * 365);
    await patchVia(t, drafter, id, { term: { expiresAt: first, noticePeriodDays: 90 } });
    const extended = daysAfter(since, 6 * 365);
    await patchVia(t, drafter, id, { term: { expiresAt: extended, noticePeriodDays: 90 } });
    expect(await termDeadlines(id)).to.deep.equal([
      ['expiry', closeOf(first), 'cancelled'],
      ['expiry', closeOf(extended), 'open'],
      ['renewal_notice', closeOf(daysAfter(first, -90)), 'cancelled'],
      ['renewal_notice', closeOf(daysAfter(extended, -90)), 'open'],
    ]);
    // the notice period alone dropped: the expiry stands, the notice deadline goes
    await patchVia(t, drafter, id, { term: { expiresAt: extended } });
    expect((await termDeadlines(id)).filter((d) => d[2] === 'open')).to.deep.equal([['expiry', closeOf(extended), 'open']]);
    await patchVia(t, drafter, id, { term: {} });
    expect((await termDeadlines(id)).filter((d) => d[2] === 'open')).to.deep.equal([]);
  });

  it('when the notice day has already passed as the term is recorded, then the deadline shows as overdue without the reminders it missed being sent now', async () => {
    const { id } = await inForce(200);
    const expires = daysAfter(localDate(t.ctx.clock.now(), HQ_TIMEZONE), 40);
    await patchVia(t, drafter, id, { term: { expiresAt: expires, noticePeriodDays: 120 } });
    const notice = (await deadlinesOf(id)).find((d) => d.kind === 'renewal_notice');
    expect(notice).to.deep.include({ status: 'open', dueAt: closeOf(daysAfter(expires, -120)) });
    expect(Date.parse(notice.dueAt)).to.be.lessThan(t.ctx.clock.now().getTime());
    // every reminder of the ladder was timed before now: none is left to send at once
    expect(notice.nextReminderAt ?? null, JSON.stringify(notice)).to.satisfy((at: string | null) => at === null || Date.parse(at) > t.ctx.clock.now().getTime());
  });

  it('when the term would end before the agreement entered into force, then it answers 422 in both languages and neither the agreement nor its deadlines change', async () => {
    const { id, since } = await inForce();
    const before = (await request(t.app).get(`/api/agreements/${id}`).set(bearer(drafter))).body;
    const res = await request(t.app)
      .patch(`/api/agreements/${id}`)
      .set(bearer(drafter))
      .send({ version: before.version, term: { expiresAt: daysAfter(since, -1) } });
    expectError(res, 422, 'validation_failed');
    const detail = res.body.error.details.find((d: any) => d.field === 'term.expiresAt');
    expect(detail.message).to.contain(`entered into force (${inWords(since, 'en')})`).and.to.contain(`mulai berlaku (${inWords(since, 'id')})`);
    const after = (await request(t.app).get(`/api/agreements/${id}`).set(bearer(drafter))).body;
    expect(after.version).to.equal(before.version);
    expect(after.term ?? null).to.deep.equal(before.term ?? null);
    expect(await termDeadlines(id)).to.deep.equal([]);
  });

  it('when the term of an agreement not yet in force is recorded, then no expiry deadline opens until it enters into force', async () => {
    const a = await createAgreementVia(t, drafter);
    const expires = daysAfter(localDate(t.ctx.clock.now(), HQ_TIMEZONE), 1000);
    await patchVia(t, drafter, a.id, { term: { expiresAt: expires, noticePeriodDays: 30 } });
    expect(await termDeadlines(a.id)).to.deep.equal([]);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    for (const p of ready.parties) await signVia(t, drafter, a.id, p.id);
    await uploadSignedCopy(t, drafter, a.id);
    await moveVia(t, drafter, a.id, 'in_force', { entryIntoForce: { date: localDate(t.ctx.clock.now(), HQ_TIMEZONE), basis: 'on_signature' } });
    expect(await termDeadlines(a.id)).to.deep.equal([
      ['expiry', closeOf(expires), 'open'],
      ['renewal_notice', closeOf(daysAfter(expires, -30)), 'open'],
    ]);
  });

  it('when a term given as a duration alone enters into force, then its end is counted from the entry into force, its deadlines open, and the move records the date, the basis and the end', async () => {
    const a = await createAgreementVia(t, drafter);
    await patchVia(t, drafter, a.id, { term: { durationMonths: 24 } });
    const ready = await toAwaitingSignature(t, drafter, a.id);
    for (const p of ready.parties) await signVia(t, drafter, a.id, p.id);
    await uploadSignedCopy(t, drafter, a.id);
    const today = localDate(t.ctx.clock.now(), HQ_TIMEZONE);
    const [y, m, d] = today.split('-').map(Number);
    const end = new Date(Date.UTC(y + 2, m - 1, Math.min(d, new Date(Date.UTC(y + 2, m, 0)).getUTCDate()))).toISOString().slice(0, 10);
    const moved = await moveVia(t, drafter, a.id, 'in_force', { entryIntoForce: { date: today, basis: 'on_signature' } });
    expect(moved.term).to.deep.equal({ durationMonths: 24, expiresAt: isoDay(end) });
    expect(await termDeadlines(a.id)).to.deep.equal([['expiry', closeOf(end), 'open']]);
    const event = (await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(drafter))).body.items.at(-1);
    expect(event.changes).to.deep.include({ from: 'signed', to: 'in_force' });
    expect(event.changes.entryIntoForce).to.deep.equal({ date: isoDay(today), basis: 'on_signature' });
    expect(event.changes.term).to.deep.equal({ durationMonths: 24, expiresAt: isoDay(end) });
  });

  it('when an agreement would be moved into force, or its date in force edited, to a day after today, then 422 says so in both languages and it stays as it was', async () => {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    for (const p of ready.parties) await signVia(t, drafter, a.id, p.id);
    await uploadSignedCopy(t, drafter, a.id);
    const today = localDate(t.ctx.clock.now(), HQ_TIMEZONE);
    const tomorrow = daysAfter(today, 1);
    const refused = await request(t.app).post(`/api/agreements/${a.id}/transitions`).set(bearer(drafter)).send({ to: 'in_force', entryIntoForce: { date: tomorrow, basis: 'on_signature' } });
    expectError(refused, 422, 'validation_failed');
    expect(refused.body.error.details).to.deep.equal([
      {
        field: 'entryIntoForce.date',
        message: `The entry into force (${inWords(tomorrow, 'en')}) is after today (${inWords(today, 'en')}): record it on that day / Tanggal mulai berlaku (${inWords(tomorrow, 'id')}) sesudah hari ini (${inWords(today, 'id')}): catat pada hari itu`,
      },
    ]);
    const still = (await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body;
    expect(still).to.include({ stage: 'signed', entryIntoForce: null });
    const moved = await moveVia(t, drafter, a.id, 'in_force', { entryIntoForce: { date: today, basis: 'on_signature' } });
    const edit = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).send({ version: moved.version, entryIntoForce: { date: daysAfter(today, 30), basis: 'on_signature' } });
    expectError(edit, 422, 'validation_failed');
    expect(edit.body.error.details[0].field).to.equal('entryIntoForce.date');
    expect((await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body.entryIntoForce.date).to.equal(isoDay(today));
  });

  it('when a notice period comes without an end date, or reaches back before the agreement began, then 422 names the field in both languages and nothing is stored', async () => {
    const created = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(buildAgreement({ term: { noticePeriodDays: 30 } }));
    expectError(created, 422, 'validation_failed');
    expect(created.body.error.details.map((x: any) => x.field)).to.deep.equal(['term.expiresAt']);
    const { id, since } = await inForce();
    const before = (await request(t.app).get(`/api/agreements/${id}`).set(bearer(drafter))).body;
    const noEnd = await request(t.app).patch(`/api/agreements/${id}`).set(bearer(drafter)).send({ version: before.version, term: { noticePeriodDays: 30 } });
    expectError(noEnd, 422, 'validation_failed');
    expect(noEnd.body.error.details[0]).to.deep.include({ field: 'term.expiresAt' });
    expect(noEnd.body.error.details[0].message).to.contain('counted back from it').and.to.contain('dihitung mundur');
    const expires = daysAfter(since, 100);
    const tooLong = await request(t.app).patch(`/api/agreements/${id}`).set(bearer(drafter)).send({ version: before.version, term: { expiresAt: expires, noticePeriodDays: 365 } });
    expectError(tooLong, 422, 'validation_failed');
    expect(tooLong.body.error.details[0].field).to.equal('term.noticePeriodDays');
    expect(tooLong.body.error.details[0].message).to.contain(
      `365 days before the end (${inWords(expires, 'en')}) is ${inWords(daysAfter(expires, -365), 'en')}, before the day the agreement entered into force (${inWords(since, 'en')})`,
    );
    const after = (await request(t.app).get(`/api/agreements/${id}`).set(bearer(drafter))).body;
    expect(after.version).to.equal(before.version);
    expect(await termDeadlines(id)).to.deep.equal([]);
  });

  it('when someone moves the day of an expiry or notice deadline the tracker opened, or reopens a closed automatic deadline, then it is refused and nothing changes; its note and outcome may still be recorded', async () => {
    const diplomat = (await loginAs(t, 'diplomat', { unit: 'PWNI' })).token;
    const { id, since } = await inForce();
    const expires = daysAfter(since, 700);
    await patchVia(t, drafter, id, { term: { expiresAt: expires, noticePeriodDays: 90 } });
    const notice = (await deadlinesOf(id)).find((d) => d.kind === 'renewal_notice');
    const moved = await request(t.app).patch(`/api/deadlines/${notice.id}`).set(bearer(diplomat)).send({ dueAt: '2040-01-01T10:00:00Z', version: notice.version });
    expectError(moved, 422, 'validation_failed');
    expect(moved.body.error.details[0].field).to.equal('dueAt');
    expect(moved.body.error.message).to.contain("change the term instead").and.to.contain('ubah masa berlakunya');
    // the outcome of the notice is a person's to record, with a note
    const met = await request(t.app).patch(`/api/deadlines/${notice.id}`).set(bearer(diplomat)).send({ status: 'met', note: 'Nota diplomatik perpanjangan dikirim', version: notice.version });
    expect(met.status, JSON.stringify(met.body)).to.equal(200);
    expect(met.body).to.include({ status: 'met', dueAt: notice.dueAt });
    const reopened = await request(t.app).patch(`/api/deadlines/${notice.id}`).set(bearer(diplomat)).send({ status: 'open' });
    expectError(reopened, 409, 'invalid_state');
    // a stage's deadline closed when the stage was left stays closed
    const drafting = (await deadlinesOf(id)).find((d) => d.kind === 'stage_due' && d.stage === 'drafting');
    expect(drafting.status).to.equal('met');
    const back = await request(t.app).patch(`/api/deadlines/${drafting.id}`).set(bearer(diplomat)).send({ status: 'open', dueAt: '2020-01-01T10:00:00Z' });
    expectError(back, 409, 'invalid_state');
    const after = await deadlinesOf(id);
    expect(after.find((d) => d.id === drafting.id)).to.include({ status: 'met', dueAt: drafting.dueAt });
    expect(after.find((d) => d.id === notice.id)).to.include({ status: 'met', dueAt: notice.dueAt });
  });

  it('when an agreement whose term has not run out is moved to expired, then it is refused with its last day and the way to end it earlier; terminating it is offered', async () => {
    const { id, since } = await inForce();
    const ends = daysAfter(since, 400);
    await patchVia(t, drafter, id, { term: { expiresAt: ends } });
    const steps = (await request(t.app).get(`/api/agreements/${id}/transitions`).set(bearer(drafter))).body.steps;
    const expired = steps.find((s: any) => s.to === 'expired');
    expect(expired.allowed).to.equal(false);
    expect(expired.unmet.map((u: any) => u.guard)).to.deep.equal(['term_ended']);
    expect(steps.find((s: any) => s.to === 'terminated').allowed).to.equal(true);
    const res = await request(t.app).post(`/api/agreements/${id}/transitions`).set(bearer(drafter)).send({ to: 'expired' });
    expectError(res, 422, 'unprocessable');
    // the last day in words, as the page writes dates, not as an ISO day
    expect(res.body.error.details.unmet[0].message).to.deep.equal({
      id: `Masa berlaku baru berakhir pada ${inWords(ends, 'id')}: untuk mengakhiri perjanjian lebih awal, pindahkan ke tahap “Diakhiri”`,
      en: `The term runs until ${inWords(ends, 'en')}: to end the agreement earlier, move it to “Terminated”`,
    });
    expect(expired.unmet[0].message, 'the next steps say it as the refusal does').to.deep.equal(res.body.error.details.unmet[0].message);
    expect((await request(t.app).get(`/api/agreements/${id}`).set(bearer(drafter))).body.stage).to.equal('in_force');
  });
});
