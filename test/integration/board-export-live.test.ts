import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import express from 'express';
import { parse } from 'csv-parse/sync';
import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia } from '../support/agreements.js';
import { AgreementEventFeed } from '../../domain/events/agreement-event-feed.js';
import { eventsRouter } from '../../server/routes/events.js';
import { errorHandler, notFoundHandler } from '../../server/http/error-handler.js';

/** A server-sent events client as a browser's fetch would be: the token in the header, events parsed as they come. */
interface EventClient {
  status: number;
  events: Array<{ event: string; data: any }>;
  /** resolves with the first event (past or future) that matches */
  waitFor(match: (e: { event: string; data: any }) => boolean, timeoutMs?: number): Promise<{ event: string; data: any }>;
  close(): void;
}

function openEvents(baseUrl: string, token?: string): Promise<EventClient> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${baseUrl}/api/events`, { headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) } }, (res) => {
      const events: EventClient['events'] = [];
      const waiters: Array<() => void> = [];
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let at;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          const lines = block.split('\n');
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event) events.push({ event, data: data ? JSON.parse(data) : undefined });
        }
        waiters.splice(0).forEach((w) => w());
      });
      resolve({
        status: res.statusCode ?? 0,
        events,
        waitFor(match, timeoutMs = 5000) {
          return new Promise((ok, fail) => {
            const timer = setTimeout(() => fail(new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(events)}`)), timeoutMs);
            const check = () => {
              const found = events.find(match);
              if (found) {
                clearTimeout(timer);
                ok(found);
              } else waiters.push(check);
            };
            check();
          });
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}

describe('board API: counts per stage, every filter, CSV export; live events; auditing every chain', function () {
  this.timeout(30_000);
  let t: TestApp;
  let server: http.Server;
  let baseUrl: string;
  let drafterA: string;
  let drafterB: string;
  let diplomatA: string;
  let diplomatB: string;
  let auditorA: string;
  const subject = `board-${new Types.ObjectId().toHexString().slice(-6)}`;

  before(async () => {
    t = await createTestApp({ label: 'board_live' });
    server = t.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    drafterA = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    drafterB = (await loginAs(t, 'drafter', { unit: 'HPI' })).token;
    diplomatA = (await loginAs(t, 'diplomat', { unit: 'PWNI' })).token;
    diplomatB = (await loginAs(t, 'diplomat', { unit: 'HPI' })).token;
    auditorA = (await loginAs(t, 'auditor', { unit: 'PWNI' })).token;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await t.close();
  });

  describe('counts per stage and filters', () => {
    let secret: Record<string, any>;
    before(async () => {
      for (let i = 0; i < 3; i++) await createAgreementVia(t, drafterA, { subjects: [subject] });
      const moved = await createAgreementVia(t, drafterA, { subjects: [subject], parties: [{ name: 'Kerajaan Arab Saudi', kind: 'state', country: 'SA', signatory: { name: 'Menteri' } }] });
      await moveVia(t, drafterA, moved.id, 'negotiation');
      secret = await createAgreementVia(t, drafterA, { subjects: [subject], confidentiality: 'confidential', leadUnit: 'PWNI' });
      await moveVia(t, drafterA, secret.id, 'negotiation');
    });

    it('when the board asks for facets, then one answer carries the page and the counts per stage under the other filters, confidential ones only for their unit', async () => {
      const own = await request(t.app).get('/api/agreements').query({ subject, facets: 'stage', stage: 'drafting', limit: 2 }).set(bearer(diplomatA));
      expect(own.status).to.equal(200);
      expect(own.body.items).to.have.length(2);
      expect(own.body.total).to.equal(3);
      expect(own.body.facets).to.deep.equal({
        stage: { drafting: { total: 3, totalExact: true }, negotiation: { total: 2, totalExact: true } },
        all: { total: 5, totalExact: true },
      });
      const other = await request(t.app).get('/api/agreements').query({ subject, facets: 'stage' }).set(bearer(diplomatB));
      expect(other.body.facets.stage.negotiation).to.deep.equal({ total: 1, totalExact: true });
      expect(other.body.facets.all.total).to.equal(4);
      expect(other.body.items.map((a: any) => a.id)).not.to.include(secret.id);
    });

    it('when a country, a party or a lead unit filters, then the counts follow it; without facets the answer has none', async () => {
      const byCountry = await request(t.app).get('/api/agreements').query({ subject, country: 'sa', facets: 'stage' }).set(bearer(diplomatA));
      expect(byCountry.body.total).to.equal(1);
      expect(byCountry.body.facets.stage).to.deep.equal({ negotiation: { total: 1, totalExact: true } });
      const byParty = await request(t.app).get('/api/agreements').query({ subject, party: 'kerajaan arab saudi' }).set(bearer(diplomatA));
      expect(byParty.body.total).to.equal(1);
      expect(byParty.body).not.to.have.property('facets');
      const byUnit = await request(t.app).get('/api/agreements').query({ subject, leadUnit: 'HPI', facets: 'stage' }).set(bearer(diplomatA));
      expect(byUnit.body.facets).to.deep.equal({ stage: {}, all: { total: 0, totalExact: true } });
    });

    it('when the filter asks for stages due within some days, then only those not yet overdue and due by then match; with overdue too it is refused', async () => {
      // a fresh negotiation stage is due in its service-level days (more than a week, fewer than 120)
      const soon = await request(t.app).get('/api/agreements').query({ subject, dueWithinDays: 120 }).set(bearer(diplomatA));
      expect(soon.body.items.every((a: any) => a.stageDueAt && new Date(a.stageDueAt) > new Date())).to.equal(true);
      expect(soon.body.total).to.be.greaterThan(0);
      const none = await request(t.app).get('/api/agreements').query({ subject, dueWithinDays: 1 }).set(bearer(diplomatA));
      expect(none.body.total).to.equal(0);
      const both = await request(t.app).get('/api/agreements').query({ subject, dueWithinDays: 7, overdue: true }).set(bearer(diplomatA));
      expect(both.status).to.equal(422);
      expect(both.body.error.code).to.equal('validation_failed');
    });

    it('when the board is exported as CSV, then every matching row comes (beyond the page size), UTF-8 with BOM, formulas neutralised, in the asked language', async () => {
      await createAgreementVia(t, drafterA, { subjects: [subject], title: { id: '=HYPERLINK("http://x","klik")', en: 'Quoted, "comma" title' } });
      const res = await request(t.app)
        .get('/api/agreements')
        .query({ subject, format: 'csv', limit: 1, lang: 'en', sort: 'code' })
        .set(bearer(diplomatB))
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
      expect(res.headers['content-disposition']).to.match(/^attachment; filename="agreements-\d{4}-\d{2}-\d{2}\.csv"$/);
      const body = res.body as Buffer;
      expect([...body.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
      const lines = body.toString('utf8').slice(1).trimEnd().split('\r\n');
      expect(lines[0]).to.match(/^Code,Type,Stage,Title \(Indonesian\),Title \(English\),Lead unit/);
      // five visible to HPI (the confidential PWNI one is not), limit ignored
      expect(lines).to.have.length(1 + 5);
      const hostile = lines.find((l) => l.includes('HYPERLINK'))!;
      expect(hostile).to.contain(`"'=HYPERLINK(""http://x"",""klik"")","Quoted, ""comma"" title"`);
      const saudi = lines.find((l) => l.includes('Kerajaan Arab Saudi'))!;
      expect(saudi.split(',').slice(1, 3)).to.deep.equal(['Memorandum of Understanding (MoU)', 'Negotiation']);
      const id = await request(t.app).get('/api/agreements').query({ subject, format: 'csv' }).set(bearer(diplomatA));
      expect(id.text.slice(1, 20)).to.equal('Kode,Jenis,Tahap,Ju');
    });

    it('when the board is exported in Indonesian, then type, stage and classification read as the interface names them, under its column names, in a file named in Indonesian; in English, all in English', async () => {
      const own = `${subject}-lbl`;
      const arrangement = await createAgreementVia(t, drafterA, { subjects: [own], type: 'technical_arrangement', confidentiality: 'internal' });
      const secret = await createAgreementVia(t, drafterA, { subjects: [own], type: 'mou', confidentiality: 'confidential', leadUnit: 'PWNI' });
      await moveVia(t, drafterA, secret.id, 'negotiation');
      const { COMMON } = await import(pathToFileURL(path.resolve('web/i18n/common.js')).href);
      const jakartaDay = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta' }).format(new Date());

      const exported = async (lang: 'id' | 'en') => {
        const days = [jakartaDay()];
        const res = await request(t.app).get('/api/agreements').query({ subject: own, format: 'csv', lang, sort: 'code' }).set(bearer(diplomatA));
        days.push(jakartaDay());
        expect(res.status).to.equal(200);
        const [header, ...rows] = parse(res.text, { bom: true }) as string[][];
        const column = (name: string) => header!.indexOf(name);
        const rowOf = (code: string) => rows.find((r) => r[0] === code)!;
        return { res, days, header: header!, column, rowOf };
      };

      const id = await exported('id');
      expect(id.res.headers['content-disposition']).to.be.oneOf(id.days.map((d) => `attachment; filename="perjanjian-${d}.csv"`));
      expect(id.header.slice(0, 7)).to.deep.equal(['Kode', 'Jenis', 'Tahap', 'Judul (Indonesia)', 'Judul (Inggris)', 'Unit penanggung jawab', 'Klasifikasi']);
      // the column names the interface gives these fields
      expect(id.header[5]).to.equal(COMMON.id['field.leadUnit']);
      expect(id.header[6]).to.equal(COMMON.id['field.confidentiality']);
      const [jenis, tahap, klasifikasi] = ['Jenis', 'Tahap', 'Klasifikasi'].map(id.column);
      const ta = id.rowOf(arrangement.code);
      expect([ta[jenis!], ta[tahap!], ta[klasifikasi!]]).to.deep.equal(['Pengaturan Teknis', 'Penyusunan draf', 'Internal']);
      const mou = id.rowOf(secret.code);
      expect([mou[jenis!], mou[tahap!], mou[klasifikasi!]]).to.deep.equal(['Nota Kesepahaman (MoU)', 'Perundingan', 'Rahasia']);
      // times as Jakarta's clocks read them, as in the history export
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
          .formatToParts(new Date(arrangement.stageEnteredAt))
          .map((p) => [p.type, p.value]),
      );
      expect(ta[id.column('Masuk tahap')!]).to.equal(`${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} WIB`);
      expect(ta[id.column('Terakhir diubah')!]).to.match(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} WIB$/);
      for (const [row, a] of [[ta, arrangement], [mou, { ...secret, stage: 'negotiation' }]] as const) {
        // the very names the interface shows, never the codes
        expect([row[jenis!], row[tahap!], row[klasifikasi!]]).to.deep.equal([COMMON.id[`type.${a.type}`], COMMON.id[`stage.${a.stage}`], COMMON.id[`conf.${a.confidentiality}`]]);
      }

      const en = await exported('en');
      expect(en.res.headers['content-disposition']).to.be.oneOf(en.days.map((d) => `attachment; filename="agreements-${d}.csv"`));
      expect(en.header.slice(5, 7)).to.deep.equal(['Lead unit', 'Confidentiality']);
      const [type, stage, confidentiality] = ['Type', 'Stage', 'Confidentiality'].map(en.column);
      const taEn = en.rowOf(arrangement.code);
      expect([taEn[type!], taEn[stage!], taEn[confidentiality!]]).to.deep.equal(['Technical Arrangement', 'Drafting', 'Internal']);
      const mouEn = en.rowOf(secret.code);
      expect([mouEn[type!], mouEn[stage!], mouEn[confidentiality!]]).to.deep.equal(['Memorandum of Understanding (MoU)', 'Negotiation', 'Confidential']);
    });
  });

  describe('GET /api/events', () => {
    it('when no token or a bad one is sent, then 401 and no stream', async () => {
      const none = await request(t.app).get('/api/events');
      expect(none.status).to.equal(401);
      expect(none.body.error.code).to.equal('unauthenticated');
      const bad = await request(t.app).get('/api/events').set(bearer('x'.repeat(43)));
      expect(bad.status).to.equal(401);
    });

    async function checkAuthorisedDelivery(url: string) {
      const a = await openEvents(url, diplomatA);
      const b = await openEvents(url, diplomatB);
      try {
        expect(a.status).to.equal(200);
        await a.waitFor((e) => e.event === 'ready');
        await b.waitFor((e) => e.event === 'ready');
        // PWNI's confidential agreement changes first, then a public one
        const secret = await createAgreementVia(t, drafterA, { confidentiality: 'confidential', leadUnit: 'PWNI', title: { id: 'Rahasia Langsung', en: 'Live secret' } });
        await moveVia(t, drafterA, secret.id, 'negotiation');
        const open = await createAgreementVia(t, drafterB, { leadUnit: 'HPI' });
        await request(t.app).post(`/api/agreements/${open.id}/comments`).set(bearer(diplomatA)).send({ text: 'Mohon dipercepat' });

        const moved = await a.waitFor((e) => e.event === 'change' && e.data.agreementId === secret.id && e.data.action === 'transition');
        expect(moved.data).to.include({ code: secret.code, stage: 'negotiation', seq: 2 });
        expect(moved.data.version).to.be.a('number');
        await a.waitFor((e) => e.event === 'change' && e.data.agreementId === open.id && e.data.action === 'comment');
        // HPI hears the public comment, and never the confidential PWNI agreement that changed before it
        await b.waitFor((e) => e.event === 'change' && e.data.agreementId === open.id && e.data.action === 'comment');
        expect(b.events.filter((e) => e.data?.agreementId === secret.id)).to.deep.equal([]);
        // the event carries no text of the change (the comment is read from the agreement, with its own check)
        expect(JSON.stringify(b.events)).not.to.contain('Mohon dipercepat');
      } finally {
        a.close();
        b.close();
      }
    }

    it('when someone changes agreements, then each listener hears the changes of the agreements it may read, within moments (change streams)', async () => {
      await checkAuthorisedDelivery(baseUrl);
    });

    it('when the session ends (logout) while the stream is open, then the stream says so and closes', async () => {
      const feed = new AgreementEventFeed(t.ctx);
      const app = express();
      app.use('/api', eventsRouter(t.ctx, feed, { sessionCheckMs: 100 }));
      const short = app.listen(0, '127.0.0.1');
      await once(short, 'listening');
      const { token } = await loginAs(t, 'diplomat', { unit: 'PWNI' });
      const client = await openEvents(`http://127.0.0.1:${(short.address() as AddressInfo).port}`, token);
      try {
        await client.waitFor((e) => e.event === 'ready');
        expect((await request(t.app).post('/api/auth/logout').set(bearer(token))).status).to.equal(204);
        const end = await client.waitFor((e) => e.event === 'end', 3000);
        expect(end.data).to.deep.equal({ reason: 'session' });
        for (let i = 0; i < 50 && feed.listeners > 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(feed.listeners).to.equal(0);
      } finally {
        client.close();
        short.closeAllConnections();
        await new Promise<void>((resolve) => short.close(() => resolve()));
        feed.stop();
      }
    });

    it('when a listener is moved to another unit while its stream is open, then it hears nothing more of its old unit’s confidential agreements, without waiting for the session check', async () => {
      const feed = new AgreementEventFeed(t.ctx);
      const app = express();
      // the periodic check is an hour away: only the check before each delivery can catch the move
      // (made before every delivery here; in service at most every couple of seconds)
      app.use('/api', eventsRouter(t.ctx, feed, { sessionCheckMs: 3_600_000, recheckMs: 0 }));
      const slow = app.listen(0, '127.0.0.1');
      await once(slow, 'listening');
      const admin = (await loginAs(t, 'admin', { unit: 'PWNI' })).token;
      const moved = await loginAs(t, 'diplomat', { unit: 'HPI' });
      const secret = await createAgreementVia(t, drafterB, { confidentiality: 'confidential', leadUnit: 'HPI', title: { id: 'Rahasia HPI Langsung', en: 'Live HPI secret' } });
      const open = await createAgreementVia(t, drafterA, { leadUnit: 'PWNI' });
      const client = await openEvents(`http://127.0.0.1:${(slow.address() as AddressInfo).port}`, moved.token);
      try {
        await client.waitFor((e) => e.event === 'ready');
        await request(t.app).post(`/api/agreements/${secret.id}/comments`).set(bearer(drafterB)).send({ text: 'Sebelum pindah' });
        await client.waitFor((e) => e.event === 'change' && e.data.agreementId === secret.id);
        const users = await request(t.app).get('/api/users').set(bearer(admin)).expect(200);
        const id = (users.body.items ?? users.body).find((u: { email: string }) => u.email === moved.user.email).id;
        await request(t.app).patch(`/api/users/${id}`).set(bearer(admin)).send({ unit: 'PWNI' }).expect(200);
        await moveVia(t, drafterB, secret.id, 'interagency_consultation');
        await request(t.app).post(`/api/agreements/${open.id}/comments`).set(bearer(drafterA)).send({ text: 'Sesudah pindah' });
        // the later public change arrives; the confidential move before it never does
        await client.waitFor((e) => e.event === 'change' && e.data.agreementId === open.id && e.data.action === 'comment');
        expect(client.events.filter((e) => e.data?.agreementId === secret.id).map((e) => e.data.action)).to.deep.equal(['comment']);
      } finally {
        client.close();
        slow.closeAllConnections();
        await new Promise<void>((resolve) => slow.close(() => resolve()));
        feed.stop();
      }
    });

    it('when the database has no change streams, then polling delivers the same events under the same rule', async () => {
      const feed = new AgreementEventFeed(t.ctx, { useChangeStreams: false, pollIntervalMs: 150 });
      const app = express();
      app.use('/api', eventsRouter(t.ctx, feed));
      app.use(notFoundHandler);
      app.use(errorHandler(t.ctx.logger));
      const polled = app.listen(0, '127.0.0.1');
      await once(polled, 'listening');
      try {
        await checkAuthorisedDelivery(`http://127.0.0.1:${(polled.address() as AddressInfo).port}`);
        // a client that goes away leaves the feed (and with the last one, the feed stops watching)
        for (let i = 0; i < 50 && feed.listeners > 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(feed.listeners).to.equal(0);
        expect(feed.mode).to.equal(undefined);
      } finally {
        polled.closeAllConnections();
        await new Promise<void>((resolve) => polled.close(() => resolve()));
        feed.stop();
      }
    });
  });

  describe('GET /api/history/verify', () => {
    it('when one chain was tampered with in the database, then verifying all names it and only it; diplomats may not run it; other units’ confidential chains are left out', async () => {
      const good = await createAgreementVia(t, drafterA);
      await moveVia(t, drafterA, good.id, 'negotiation');
      const bad = await createAgreementVia(t, drafterA, { title: { id: 'Dirusak', en: 'Tampered' } });
      await moveVia(t, drafterA, bad.id, 'negotiation', { note: 'asli' });
      const hidden = await createAgreementVia(t, drafterB, { confidentiality: 'confidential', leadUnit: 'HPI' });
      await t.ctx.models.HistoryEvent.collection.updateOne({ agreementId: new Types.ObjectId(bad.id), seq: 2 }, { $set: { 'changes.note': 'diubah diam-diam' } });
      await t.ctx.models.HistoryEvent.collection.updateOne({ agreementId: new Types.ObjectId(hidden.id), seq: 1 }, { $set: { role: 'admin' } });

      const res = await request(t.app).get('/api/history/verify').set(bearer(auditorA));
      expect(res.status).to.equal(200);
      expect(res.body.valid).to.equal(false);
      expect(res.body.scope, 'other units’ confidential chains were left out').to.equal('visible');
      expect(res.body.broken).to.have.length(1);
      expect(res.body.broken[0]).to.include({ agreementId: bad.id, code: bad.code, seq: 2, reason: 'hash_mismatch', events: 2 });
      expect(res.body.broken[0].message.en).to.equal('The event content does not match its hash');
      const total = await request(t.app).get('/api/agreements').query({ limit: 1 }).set(bearer(auditorA));
      expect(res.body.agreements).to.equal(total.body.total);
      expect(res.body.events).to.be.greaterThan(res.body.agreements);

      const one = await request(t.app).get(`/api/agreements/${bad.id}/history/verify`).set(bearer(auditorA));
      expect(one.body.firstBroken.seq).to.equal(2);

      const refused = await request(t.app).get('/api/history/verify').set(bearer(diplomatA));
      expect(refused.status).to.equal(403);
      expect(refused.body.error.code).to.equal('forbidden');
    });
  });
});
