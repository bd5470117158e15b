/**
 * A deadline is named the same way on the agreement's page and the calendar page (web/i18n
 * `dl.*`) as in the calendar entries and reminders the server writes (domain/deadlines/labels.ts):
 * a desk officer who reads "Signature by Malaysia" on screen finds that, not another name, in
 * their calendar.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';

/** The VEVENTs' SUMMARY by UID, lines unfolded and text unescaped (RFC 5545 3.1, 3.3.11). */
function summaries(ics: string): Map<string, string> {
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const found = new Map<string, string>();
  let uid = '';
  for (const line of lines) {
    if (line.startsWith('UID:')) uid = line.slice(4);
    if (line.startsWith('SUMMARY:')) found.set(uid, line.slice(8).replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, '\n'));
  }
  return found;
}

describe('deadline names: the web page and the server say the same', () => {
  let t: TestApp;
  let drafter: string;

  before(async () => {
    t = await createTestApp({ label: 'deadline-labels' });
    drafter = (await loginAs(t, 'drafter')).token;
  });
  after(async () => t?.close());

  it('when an agreement has a deadline of every kind, then each calendar entry names it in both languages exactly as the web interface does', async () => {
    const web = await import(pathToFileURL(path.resolve('web/i18n/common.js')).href);
    const a = await createAgreementVia(t, drafter);
    const party = a.parties[1];
    const dueAt = '2031-03-03T03:00:00Z';
    for (const body of [{ kind: 'signing_due', partyId: party.id }, { kind: 'ratification_due' }, { kind: 'expiry' }, { kind: 'renewal_notice' }, { kind: 'custom' }]) {
      const res = await request(t.app).post(`/api/agreements/${a.id}/deadlines`).set(bearer(drafter)).send({ ...body, dueAt });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    const listed = await request(t.app).get(`/api/agreements/${a.id}/deadlines`).set(bearer(drafter));
    const deadlines: Array<{ id: string; kind: string; stage: string | null; partyName: string | null }> = listed.body.items;
    // the stage's own deadline, opened with the agreement, is among them
    expect(new Set(deadlines.map((d) => d.kind))).to.deep.equal(new Set(['stage_due', 'signing_due', 'ratification_due', 'expiry', 'renewal_notice', 'custom']));

    // as the agreement's page and the calendar page name them (web/pages/detail-work.js, calendar.js)
    const onScreen = (d: (typeof deadlines)[number], lang: 'id' | 'en'): string => {
      if (d.kind === 'stage_due') return web.t('dl.stage_due', { stage: web.stageLabel(d.stage, lang) }, lang);
      if (d.kind === 'signing_due') return web.t('dl.signing_due', { party: d.partyName }, lang);
      return web.t(`dl.${d.kind}`, {}, lang);
    };
    const feed = await request(t.app).get(`/api/agreements/${a.id}/calendar.ics`).set(bearer(drafter));
    expect(feed.status).to.equal(200);
    const entries = summaries(feed.text);
    for (const d of deadlines) {
      expect(entries.get(`deadline-${d.id}@pwni-agreement-tracker`), d.kind).to.equal(`${a.code}: ${onScreen(d, 'id')} / ${onScreen(d, 'en')}`);
    }
    expect(onScreen(deadlines.find((d) => d.kind === 'signing_due')!, 'en')).to.equal(`Signature by ${party.name}`);
  });
});
