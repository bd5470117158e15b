import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, patchVia, signVia, toAwaitingSignature } from '../support/agreements.js';
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

  /** An MoU signed by both parties and in force since today, with no term recorded. */
  async function inForce(): Promise<{ id: string; since: string }> {
    const a = await createAgreementVia(t, drafter);
    const ready = await toAwaitingSignature(t, drafter, a.id);
    for (const p of ready.parties) await signVia(t, drafter, a.id, p.id);
    await uploadSignedCopy(t, drafter, a.id);
    // in force from the day of its signing (not before it: the move would be refused)
    const since = localDate(t.ctx.clock.now(), HQ_TIMEZONE);
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
  const daysAfter = (d: string, n: number) => new Date(Date.parse(isoDay(d)) + n * DAY).toISOString().slice(0, 10);

  it('when the term of an agreement already in force is recorded, then its expiry and the last day to give notice become open deadlines, and the history keeps the edit', async () => {
    const { id, since } = await inForce();
    expect(await termDeadlines(id)).to.deep.equal([]);
    const expires = daysAfter(since, 5 * 365);
    const saved = await patchVia(t, drafter, id, { term: { durationMonths: 60, expiresAt: expires, noticePeriodDays: 182 } });
    expect(saved.term).to.deep.equal({ durationMonths: 60, expiresAt: isoDay(expires), noticePeriodDays: 182 });
    expect(await termDeadlines(id)).to.deep.equal([
      ['expiry', isoDay(expires), 'open'],
      ['renewal_notice', isoDay(daysAfter(expires, -182)), 'open'],
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
      ['expiry', isoDay(first), 'cancelled'],
      ['expiry', isoDay(extended), 'open'],
      ['renewal_notice', isoDay(daysAfter(first, -90)), 'cancelled'],
      ['renewal_notice', isoDay(daysAfter(extended, -90)), 'open'],
    ]);
    // the notice period alone dropped: the expiry stands, the notice deadline goes
    await patchVia(t, drafter, id, { term: { expiresAt: extended } });
    expect((await termDeadlines(id)).filter((d) => d[2] === 'open')).to.deep.equal([['expiry', isoDay(extended), 'open']]);
    await patchVia(t, drafter, id, { term: {} });
    expect((await termDeadlines(id)).filter((d) => d[2] === 'open')).to.deep.equal([]);
  });

  it('when the notice day has already passed as the term is recorded, then the deadline shows as overdue without the reminders it missed being sent now', async () => {
    const { id, since } = await inForce();
    const expires = daysAfter(since, 40);
    await patchVia(t, drafter, id, { term: { expiresAt: expires, noticePeriodDays: 120 } });
    const notice = (await deadlinesOf(id)).find((d) => d.kind === 'renewal_notice');
    expect(notice).to.deep.include({ status: 'open', dueAt: isoDay(daysAfter(expires, -120)) });
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
    expect(detail.message).to.contain(`entered into force (${since})`).and.to.contain(`mulai berlaku (${since})`);
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
      ['expiry', isoDay(expires), 'open'],
      ['renewal_notice', isoDay(daysAfter(expires, -30)), 'open'],
    ]);
  });
});
