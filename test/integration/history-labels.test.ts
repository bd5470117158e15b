import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { updateAgreementBody } from '../../server/routes/agreements.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia } from '../support/agreements.js';
import { createDocumentsApp, uploadVia } from '../support/documents.js';

const root = path.resolve('.');
const webModule = (file: string): Promise<any> => import(pathToFileURL(path.join(root, 'web', file)).href);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/**
 * Every action the domain can write into an agreement's history: the string literals given as
 * `action` in the files that write history events (through appendHistoryEvent, a stage change's
 * eventsBefore, or directly as the import does). A new action anywhere in domain/ is found here.
 */
function recordedActions(): string[] {
  const writesHistory = /appendHistoryEvent\w*\(|eventsBefore|HistoryEvent\.collection\.insertMany|hashEvent\(/;
  const found = new Set<string>();
  for (const file of sourceFiles(path.join(root, 'domain'))) {
    const text = fs.readFileSync(file, 'utf8');
    if (!writesHistory.test(text)) continue;
    for (const m of text.matchAll(/\baction:\s*([^,}\n]+)/g)) {
      for (const literal of m[1]!.matchAll(/'([a-z_]+)'/g)) found.add(literal[1]!);
    }
  }
  return [...found].sort();
}

describe('web interface: the history speaks the reader’s language', () => {
  it('when the domain records any history action, then the agreement page has a label for it in Indonesian and in English', async () => {
    const actions = recordedActions();
    // the scan finds what the domain is known to record (so an empty scan cannot pass)
    expect(actions).to.include.members([
      'created', 'updated', 'transition', 'signature_recorded', 'party_declined', 'round_added', 'link_added', 'reopened', 'comment',
      'document_uploaded', 'document_downloaded', 'deadline_created', 'deadline_updated', 'reminders_paused', 'reminders_resumed', 'indices_set', 'imported',
    ]);
    const { DETAIL, t } = await webModule('i18n/detail.js');
    const missing = actions.flatMap((action) => (['id', 'en'] as const).filter((lang) => typeof DETAIL[lang][`action.${action}`] !== 'string').map((lang) => `${action} (${lang})`));
    expect(missing, 'actions without a label').to.deep.equal([]);
    // a label in the reader's language, never the code itself
    for (const action of actions) {
      for (const lang of ['id', 'en']) expect(t(`action.${action}`, {}, lang), `${action} (${lang})`).to.not.equal(action);
    }
    expect(t('action.indices_set', {}, 'id')).to.equal('Indeks kinerja ditetapkan');
    expect(t('action.indices_set', {}, 'en')).to.equal('Performance indices set');
  });

  it('when any field that an edit may change is recorded as changed, then the history names it in both languages', async () => {
    const fields = Object.keys(updateAgreementBody.describe().keys ?? {}).filter((f) => f !== 'version' && f !== 'remindersPaused');
    expect(fields).to.include.members(['title', 'parties', 'subjects', 'leadUnit', 'confidentiality', 'authenticLanguages', 'entryIntoForce', 'term']);
    const { DETAIL } = await webModule('i18n/detail.js');
    const missing = fields.flatMap((field) => (['id', 'en'] as const).filter((lang) => typeof DETAIL[lang][`changed.${field}`] !== 'string').map((lang) => `${field} (${lang})`));
    expect(missing, 'changed fields without a label').to.deep.equal([]);
    expect(DETAIL.id['changed.parties']).to.equal('Para pihak');
    expect(DETAIL.en['changed.parties']).to.equal('Parties');
  });
});

describe('audit page: the history exported as CSV speaks the reader’s language', function () {
  this.timeout(30_000);
  let t: Awaited<ReturnType<typeof createDocumentsApp>>;
  let items: any[];
  let code: string;

  before(async () => {
    t = await createDocumentsApp('history_csv', 'disk');
    const drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    const auditor = (await loginAs(t, 'auditor', { unit: 'PWNI' })).token;
    const a = await createAgreementVia(t, drafter);
    code = a.code;
    await moveVia(t, drafter, a.id, 'negotiation', { note: 'Mulai' });
    await uploadVia(t, drafter, a.id, { kind: 'draft', language: 'id' });
    // what the audit page exports: the history as the API answers it to an auditor
    const res = await request(t.app).get(`/api/agreements/${a.id}/history`).set(bearer(auditor)).expect(200);
    items = res.body.items;
    expect(items.map((e) => e.action)).to.deep.equal(['created', 'transition', 'document_uploaded']);
  });
  after(async () => t.close());

  /** 2022-04-01 10:15 WIB: the instant as Jakarta's clocks read it (UTC+7 all year, no daylight saving). */
  const wib = (iso: string) => `${new Date(Date.parse(iso) + 7 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')} WIB`;

  it('when exported in Indonesian, then roles and events are named as the agreement page names them, times are Jakarta time, and the UTC instant is kept in a column of its own', async () => {
    const { historyCsv } = await webModule('pages/audit.js');
    const text: string = historyCsv(items, 'id');
    expect(text.startsWith('\uFEFF')).to.equal(true);
    const [header, ...rows] = parse(text, { bom: true }) as string[][];
    expect(header).to.deep.equal(['No', 'Waktu', 'Oleh', 'E-mail', 'Peran', 'Peristiwa', 'Perubahan', 'Hash sebelumnya', 'Hash', 'Waktu UTC (ISO 8601)']);
    expect(rows.map((r) => r[4])).to.deep.equal(['Perancang', 'Perancang', 'Perancang']);
    expect(rows.map((r) => r[5])).to.deep.equal(['Dibuat', 'Perpindahan tahap', 'Dokumen diunggah']);
    rows.forEach((r, i) => {
      expect(r[1]).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} WIB$/);
      expect(r[1]).to.equal(wib(items[i].at));
      expect(r[9]).to.equal(items[i].at);
      // the changes stay as recorded (codes and all), for whoever checks them against the hash
      expect(JSON.parse(r[6]!)).to.deep.equal(items[i].changes ?? {});
      expect(r[8]).to.equal(items[i].hash);
    });
  });

  it('when exported in English, then roles and events are named in English, with the same Jakarta times', async () => {
    const { historyCsv } = await webModule('pages/audit.js');
    const [header, ...rows] = parse(historyCsv(items, 'en'), { bom: true }) as string[][];
    expect(header).to.deep.equal(['No', 'Time', 'By', 'E-mail', 'Role', 'Event', 'Changes', 'Previous hash', 'Hash', 'UTC time (ISO 8601)']);
    expect(rows.map((r) => r[4])).to.deep.equal(['Legal drafter', 'Legal drafter', 'Legal drafter']);
    expect(rows.map((r) => r[5])).to.deep.equal(['Created', 'Stage change', 'Document uploaded']);
    expect(rows.map((r) => r[1])).to.deep.equal(items.map((e) => wib(e.at)));
  });

  it('when an instant falls late in the UTC evening, then the Jakarta time is on the next day; text a spreadsheet would run stays neutralised', async () => {
    const { historyCsv } = await webModule('pages/audit.js');
    const events = [
      { seq: 1, at: '2022-04-01T03:15:00.000Z', actor: { name: 'Budi', email: 'budi@test.local' }, role: 'auditor', action: 'comment', changes: { text: 'ok' }, prevHash: '0', hash: 'a' },
      { seq: 2, at: '2022-12-31T17:30:00.000Z', actor: { name: '=HYPERLINK("http://x")', email: 'x@test.local' }, role: 'signatory', action: 'signature_recorded', changes: {}, prevHash: 'a', hash: 'b' },
    ];
    const [, first, second] = parse(historyCsv(events, 'id'), { bom: true }) as string[][];
    expect([first![1], first![4], first![5]]).to.deep.equal(['2022-04-01 10:15 WIB', 'Auditor', 'Komentar']);
    expect([second![1], second![2], second![4], second![5]]).to.deep.equal(['2023-01-01 00:30 WIB', '\'=HYPERLINK("http://x")', 'Penanda tangan', 'Tanda tangan dicatat']);
  });

  it('when the audit page names the exported file, then it is riwayat-CODE in Indonesian and history-CODE in English', async () => {
    const { t: text } = await webModule('i18n/audit.js');
    expect(text('audit.fileName', { code, format: 'csv' }, 'id')).to.equal(`riwayat-${code}.csv`);
    expect(text('audit.fileName', { code, format: 'json' }, 'en')).to.equal(`history-${code}.json`);
  });
});
