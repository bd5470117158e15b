/**
 * A download of a confidential document is recorded once per reading, not once per byte range:
 * a PDF viewer fetches a file in many ranges at once, and those reads must never fail because
 * the history is busy with other reads. No content leaves unrecorded all the same: a range past
 * the first byte counts as a reading of its own when none is on record.
 */
import { expect } from 'chai';
import request from 'supertest';
import { ManualClock } from '../../lib/clock.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { binary, uploadVia } from '../support/documents.js';
import * as fixtures from '../support/pdf-fixtures.js';

const MINUTE = 60_000;

describe('documents API: a reading is one recorded download', function () {
  this.timeout(60_000);
  const clock = new ManualClock();
  let t: TestApp;
  let drafter: string;
  let reader: { token: string; user: { email: string } };
  let secret: { id: string };
  let pdf: Buffer;
  let cases = 0;
  let doc: { id: string; sha256: string; size: number };

  const downloads = async (agreementId = secret.id) => {
    const res = await request(t.app).get(`/api/agreements/${agreementId}/history`).set(bearer(drafter));
    expect(res.status).to.equal(200);
    return res.body.items.filter((e: { action: string }) => e.action === 'document_downloaded');
  };
  const file = (id = doc.id) => `/api/documents/${id}/file`;
  /** Sixty ranges from byte `from` on, as a viewer asks for them: all at once. */
  const sixtyRanges = (token: string, from: number) => {
    const chunk = Math.floor((pdf.length - from) / 60);
    return Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const start = from + i * chunk;
        const end = i === 59 ? pdf.length - 1 : start + chunk - 1;
        return binary(request(t.app).get(file()).set(bearer(token)).set('Range', `bytes=${start}-${end}`)).then((res) => ({ res, start, end }));
      }),
    );
  };

  before(async () => {
    t = await createTestApp({ label: 'docs-readings', clock, env: { FILE_STORAGE: 'disk', TOKEN_TTL_MINUTES: '43200' } });
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    reader = await loginAs(t, 'diplomat', { unit: 'PWNI' });
    secret = await createAgreementVia(t, drafter, { confidentiality: 'confidential', leadUnit: 'PWNI' });
    pdf = await fixtures.textPdf(6, { dense: true });
  });
  beforeEach(async () => {
    // a new version for each case: the readings of one case are not on record for the next
    // (another file each time: the same file twice in a row is not a new version)
    pdf = await fixtures.textPdf(6, { dense: true, variant: `case ${++cases}` });
    const res = await uploadVia(t, drafter, secret.id, { kind: 'annex', language: 'id', file: pdf });
    expect(res.status).to.equal(201);
    doc = res.body;
  });
  after(async () => t?.close());

  it('when a PDF viewer opens a confidential document and then fetches 60 ranges at once, then every range is served and the history holds one download', async () => {
    const before = (await downloads()).length;
    const opened = await binary(request(t.app).get(file()).set(bearer(reader.token)));
    expect(opened.status).to.equal(200);
    const ranges = await sixtyRanges(reader.token, 1024);
    for (const { res, start, end } of ranges) {
      expect(res.status, JSON.stringify(res.body)).to.equal(206);
      expect(Buffer.compare(res.body, pdf.subarray(start, end + 1))).to.equal(0);
    }
    const recorded = (await downloads()).slice(before);
    expect(recorded).to.have.length(1);
    expect(recorded[0].actor.email).to.equal(reader.user.email);
    expect(recorded[0].changes).to.deep.include({ variant: 'original', documentId: doc.id, sha256: doc.sha256 });
    expect(recorded[0].changes).not.to.have.property('firstRange');
  });

  it('when 60 ranges past the first byte arrive at once with no reading on record, then all are served and one download is recorded, with its range', async () => {
    const before = (await downloads()).length;
    const ranges = await sixtyRanges(reader.token, 1);
    expect(ranges.map(({ res }) => res.status)).to.deep.equal(Array(60).fill(206));
    const recorded = (await downloads()).slice(before);
    expect(recorded).to.have.length(1);
    expect(recorded[0].changes.firstRange).to.match(new RegExp(`^bytes \\d+-\\d+/${pdf.length}$`));
  });

  it('when the same reader reads again, then a response from the first byte is always a new download, and a later range only once the reading is 10 minutes old', async () => {
    const before = (await downloads()).length;
    const get = (range?: string) => {
      const req = request(t.app).get(file()).set(bearer(reader.token));
      return binary(range ? req.set('Range', range) : req);
    };
    expect((await get()).status).to.equal(200); // recorded: a reading starts
    expect((await get('bytes=500-999')).status).to.equal(206); // part of that reading
    expect((await get('bytes=0-499')).status).to.equal(206); // from the first byte: a new reading
    clock.advance(9 * MINUTE);
    expect((await get('bytes=-100')).status).to.equal(206); // still within the last reading
    clock.advance(2 * MINUTE);
    expect((await get('bytes=-100')).status).to.equal(206); // 11 minutes on: recorded again
    // another reader's range is their own reading
    const other = await loginAs(t, 'drafter', { unit: 'PWNI' });
    expect((await binary(request(t.app).get(file()).set(bearer(other.token)).set('Range', 'bytes=2000-2999'))).status).to.equal(206);
    const recorded = (await downloads()).slice(before);
    expect(recorded.map((e: { actor: { email: string }; changes: { firstRange?: string } }) => [e.actor.email, e.changes.firstRange ?? null])).to.deep.equal([
      [reader.user.email, null],
      [reader.user.email, `bytes 0-499/${pdf.length}`],
      [reader.user.email, `bytes ${pdf.length - 100}-${pdf.length - 1}/${pdf.length}`],
      [other.user.email, `bytes 2000-2999/${pdf.length}`],
    ]);
  });

  it('when the history stays busy past every retry, then a download is still served and the loss is logged, while a comment answers 409 saying so in both languages', async () => {
    const { HistoryEvent } = t.ctx.models;
    const collection = HistoryEvent.collection as unknown as { insertMany: (...args: unknown[]) => Promise<unknown> };
    const original = collection.insertMany;
    let refused = 0;
    // every append loses the race for the next sequence number, as under a flood of other writers
    collection.insertMany = async () => {
      refused++;
      throw Object.assign(new Error('E11000 duplicate key error collection: historyevents index: agreementId_1_seq_1 dup key'), {
        code: 11000,
        keyPattern: { agreementId: 1, seq: 1 },
      });
    };
    const logged: Array<{ msg: string; fields?: Record<string, unknown> }> = [];
    const logger = t.ctx.logger as { error: (msg: string, fields?: Record<string, unknown>) => void };
    const originalError = logger.error;
    logger.error = (msg, fields) => logged.push({ msg, fields });
    try {
      const res = await binary(request(t.app).get(file()).set(bearer(reader.token)));
      expect(res.status).to.equal(200);
      expect(Buffer.compare(res.body, pdf)).to.equal(0);
      expect(refused, 'the append was retried').to.be.greaterThan(1);
      const lost = logged.filter((l) => l.fields?.action === 'document_downloaded');
      expect(lost, JSON.stringify(logged)).to.have.length(1);
      expect(lost[0].fields).to.deep.include({ agreementId: secret.id, actor: reader.user.email });
      expect(lost[0].fields!.changes).to.deep.include({ variant: 'original', documentId: doc.id });

      const comment = await request(t.app).post(`/api/agreements/${secret.id}/comments`).set(bearer(reader.token)).send({ text: 'Mohon dicek pasal 4' });
      expect(comment.status).to.equal(409);
      expect(comment.body.error.code).to.equal('version_conflict');
      expect(comment.body.error.message).not.to.match(/already exists|sudah ada/);
      const [english, indonesian] = comment.body.error.message.split(' / ');
      expect(english).to.match(/busy.*try again/i);
      expect(indonesian).to.match(/sibuk.*coba lagi/i);
    } finally {
      collection.insertMany = original;
      logger.error = originalError;
    }
    // and the history is whole and writable again
    const comment = await request(t.app).post(`/api/agreements/${secret.id}/comments`).set(bearer(reader.token)).send({ text: 'Mohon dicek pasal 4' });
    expect(comment.status).to.equal(201);
    const verify = await request(t.app).get(`/api/agreements/${secret.id}/history/verify`).set(bearer(drafter));
    expect(verify.body.valid).to.equal(true);
  });
});
