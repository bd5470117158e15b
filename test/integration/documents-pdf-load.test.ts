/**
 * The PDF workers are shared by everyone: one user's files must not hold up everybody else's,
 * and the line of waiting work must not grow without end. Work is held in the pool (paused) so
 * that "in flight" is a known state, not a matter of how fast this machine parses a PDF.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { binary, createDocumentsApp, storedKeys, tempFiles, uploadFinalTexts, uploadVia } from '../support/documents.js';
import * as fixtures from '../support/pdf-fixtures.js';

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('documents API: PDF work under load', function () {
  this.timeout(60_000);
  let t: Awaited<ReturnType<typeof createDocumentsApp>>;
  let agreementId: string;
  const users: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const pool = () => t.ctx.services.documents.pdf;

  /** Waits for a state of the pool that requests in flight lead to; fails rather than hang. */
  async function until(what: string, condition: () => boolean): Promise<void> {
    for (let i = 0; i < 500 && !condition(); i++) await settle(20);
    if (!condition()) throw new Error(`the pool never reached: ${what} (${JSON.stringify(pool().stats())})`);
  }
  /** The answer to a request that must be refused at once, or 'queued' if it joined the line instead. */
  async function refusedOrQueued(answer: PromiseLike<request.Response>, queuedBefore: number): Promise<request.Response | 'queued'> {
    let done = false;
    const res = Promise.resolve(answer).then((r) => ((done = true), r));
    for (let i = 0; i < 500 && !done && pool().stats().queued <= queuedBefore; i++) await settle(20);
    if (done) return res;
    if (pool().stats().queued > queuedBefore) return 'queued';
    throw new Error('the request was neither answered nor queued');
  }
  const annex = (who: keyof typeof users, title = 'Lampiran') => uploadVia(t, users[who], agreementId, { kind: 'annex', language: 'id', fileName: `${title}.pdf` });

  before(async () => {
    t = await createDocumentsApp('docs_load', 'disk', { PDF_JOBS_PER_USER: '2', PDF_WORKER_QUEUE: '4' });
    for (const who of Object.keys(users) as Array<keyof typeof users>) users[who] = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    agreementId = (await createAgreementVia(t, users.a)).id;
  });
  // a failed case must not leave its held work to the next one
  afterEach(async () => {
    pool().resume();
    await until('no task left', () => pool().stats().busy === 0 && pool().stats().queued === 0);
  });
  after(async () => t.close());

  it('when a drafter already has two uploads being processed, then a third is refused at once with 429 and Retry-After in both languages, stores nothing, and another drafter still gets in line', async () => {
    const keysBefore = await storedKeys(t);
    pool().pause();
    const held = [annex('a', 'satu'), annex('a', 'dua')];
    await until('two uploads waiting', () => pool().stats().queued === 2);

    const third = await refusedOrQueued(annex('a', 'tiga'), 2);
    expect(third, 'the third upload joined the line instead of being refused').not.to.equal('queued');
    const res = third as request.Response;
    expect(res.status).to.equal(429);
    expect(res.body.error.code).to.equal('too_many_requests');
    expect(Number(res.headers['retry-after'])).to.be.a('number').and.above(0);
    const [english, indonesian] = res.body.error.message.split(' / ');
    expect(english).to.match(/upload.*still being processed/i);
    expect(indonesian).to.match(/unggahan.*masih diproses/i);
    // the two held uploads are the only files waiting: the refused one left none behind
    expect(await tempFiles(t)).to.have.length(2);

    const other = annex('b');
    await until("another drafter's upload waiting", () => pool().stats().queued === 3);
    pool().resume();
    for (const answer of [...held, other]) expect((await answer).status).to.equal(201);
    expect((await annex('a', 'empat')).status, 'a place is given back after success').to.equal(201);
    const names = (await request(t.app).get(`/api/agreements/${agreementId}/documents`).set(bearer(users.a))).body.items.map((d: { fileName: string }) => d.fileName);
    expect(names).not.to.include('tiga.pdf');
    expect(await storedKeys(t)).to.have.length(keysBefore.length + 4);
    expect(await tempFiles(t)).to.deep.equal([]);
  });

  it('when uploads are refused, fail or are abandoned by their client, then each gives its place back', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await uploadVia(t, users.a, agreementId, { kind: 'annex', language: 'id', file: fixtures.encryptedPdf() });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
    }
    const store = t.ctx.services.documents.files.primary;
    const putFile = store.putFile.bind(store);
    (store as any).putFile = async () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    try {
      for (let i = 0; i < 3; i++) expect((await annex('a')).status).to.equal(500);
    } finally {
      (store as any).putFile = putFile;
    }

    // a client that hangs up while its file waits for a worker
    const server = http.createServer(t.app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const before = await t.ctx.models.Document.countDocuments({ agreementId });
      pool().pause();
      const body = await fixtures.textPdf(1);
      const boundary = 'xAbandonedx';
      const form = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nannex\r\n--${boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nid\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ditinggal.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
        body,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const client = http.request({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        method: 'POST',
        path: `/api/agreements/${agreementId}/documents`,
        headers: { ...bearer(users.a), 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(form.length) },
      });
      client.on('error', () => {});
      client.end(form);
      await until('the abandoned upload waiting', () => pool().stats().queued === 1);
      client.destroy();
      pool().resume();
      // nobody is told, so the only sign that it is over is its record
      for (let i = 0; i < 500 && (await t.ctx.models.Document.countDocuments({ agreementId })) === before; i++) await settle(20);
      expect(await t.ctx.models.Document.countDocuments({ agreementId })).to.equal(before + 1);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }

    // all nine gave their place back: two fit in flight at once again, and the limit still holds
    pool().pause();
    const held = [annex('a'), annex('a')];
    await until('two uploads waiting', () => pool().stats().queued === 2);
    const third = await refusedOrQueued(annex('a'), 2);
    expect(third === 'queued' ? 'queued' : third.status).to.equal(429);
    pool().resume();
    for (const answer of held) expect((await answer).status).to.equal(201);
    expect(await tempFiles(t)).to.deep.equal([]);
  });

  it("when the PDF workers' line is full, then an upload is refused at once with 503 and Retry-After, saying so in both languages, and stores nothing", async () => {
    const keysBefore = await storedKeys(t);
    pool().pause();
    const held = [annex('a'), annex('a'), annex('b'), annex('b')];
    await until('four uploads waiting (PDF_WORKER_QUEUE)', () => pool().stats().queued === 4);

    const refused = await refusedOrQueued(annex('c'), 4);
    expect(refused, 'the upload joined a full line').not.to.equal('queued');
    const res = refused as request.Response;
    expect(res.status).to.equal(503);
    expect(res.body.error.code).to.equal('unavailable');
    expect(Number(res.headers['retry-after'])).to.be.a('number').and.above(0);
    const [english, indonesian] = res.body.error.message.split(' / ');
    expect(english).to.match(/busy.*try again/i);
    expect(indonesian).to.match(/sibuk.*coba lagi/i);
    expect(await tempFiles(t)).to.have.length(4);

    pool().resume();
    for (const answer of held) expect((await answer).status).to.equal(201);
    expect(await storedKeys(t)).to.have.length(keysBefore.length + 4);
    expect((await annex('c')).status).to.equal(201);
    expect(await tempFiles(t)).to.deep.equal([]);
  });

  it('when a drafter already has two uploads being processed, then a stamped copy that must be made and a signing packet are refused too, while a copy already made is served and another reader can have the refused one made', async () => {
    const made = (await annex('a', 'sudah')).body;
    expect((await binary(request(t.app).get(`/api/documents/${made.id}/stamped`).set(bearer(users.a)))).status).to.equal(200);
    const fresh = (await annex('a', 'baru')).body;
    const ready = await createAgreementVia(t, users.a);
    await uploadFinalTexts(t, users.a, ready.id, ['id', 'en']);

    pool().pause();
    const held = [annex('a'), annex('a')];
    await until('two uploads waiting', () => pool().stats().queued === 2);
    for (const url of [`/api/documents/${fresh.id}/stamped`, `/api/agreements/${ready.id}/signing-packet`]) {
      const answer = await refusedOrQueued(binary(request(t.app).get(url).set(bearer(users.a))), 2);
      expect(answer === 'queued' ? 'queued' : answer.status, url).to.equal(429);
    }
    expect((await binary(request(t.app).get(`/api/documents/${made.id}/stamped`).set(bearer(users.a)))).status).to.equal(200);
    // a supertest request starts when it is awaited: Promise.resolve sends it now
    const theirs = Promise.resolve(binary(request(t.app).get(`/api/documents/${fresh.id}/stamped`).set(bearer(users.b))));
    await until("another reader's stamped copy waiting", () => pool().stats().queued === 3);
    pool().resume();
    for (const answer of held) expect((await answer).status).to.equal(201);
    expect((await theirs).status).to.equal(200);
    expect(await tempFiles(t)).to.deep.equal([]);
  });
});
