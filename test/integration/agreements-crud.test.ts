import { expect } from 'chai';
import request from 'supertest';
import { expectError } from '../support/errors.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, buildAgreement, createAgreementVia, moveVia, patchVia } from '../support/agreements.js';
import { uploadFinalTexts } from '../support/documents.js';
import { countByStage, listAgreements } from '../../domain/agreements/list-agreements.js';

describe('agreements API: create, read, list, edit', () => {
  let t: TestApp;
  let drafter: string;
  let diplomat: string;

  before(async () => {
    t = await createTestApp({ label: 'agr_crud' });
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    diplomat = (await loginAs(t, 'diplomat', { unit: 'PWNI' })).token;
  });
  after(async () => t.close());

  describe('POST /api/agreements', () => {
    it('when a drafter creates an agreement without a code, then it answers 201 with the contract shape and a generated code', async () => {
      const res = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(buildAgreement());
      expect(res.status).to.equal(201);
      expect(res.body).to.include({ type: 'mou', stage: 'drafting', version: 1 });
      expect(res.body.id).to.match(/^[0-9a-f]{24}$/);
      expect(res.body.code).to.match(/^MOU-MY-\d{4}-\d{2}$/);
      expect(res.body.title).to.deep.equal({ id: 'Nota Kesepahaman Uji', en: 'Test Memorandum of Understanding' });
      expect(res.body.parties).to.have.length(2);
      for (const p of res.body.parties) {
        expect(p.id).to.match(/^[0-9a-f]{24}$/);
        expect(p.status).to.equal('pending');
      }
      expect(res.body.parties.map((p: any) => p.name)).to.deep.equal(['Republik Indonesia', 'Malaysia']);
      expect(res.headers.location).to.equal(`/api/agreements/${res.body.id}`);
      expect(res.body).to.not.have.property('_id');
      expect(res.body).to.not.have.property('searchText');
    });

    it('when two agreements of the same type, country and year are created, then their codes count up', async () => {
      const a = await createAgreementVia(t, drafter, { type: 'technical_arrangement', parties: [{ name: 'Qatar', kind: 'state', country: 'QA' }] });
      const b = await createAgreementVia(t, drafter, { type: 'technical_arrangement', parties: [{ name: 'Qatar', kind: 'state', country: 'QA' }] });
      const n = (code: string) => Number(code.split('-').pop());
      expect(a.code.replace(/-\d+$/, '')).to.equal(b.code.replace(/-\d+$/, ''));
      expect(n(b.code)).to.equal(n(a.code) + 1);
    });

    it('when a party country is an ISO alpha-3 code, then it is kept as alpha-2 (and in the code); a code that names no country is refused, nothing stored', async () => {
      const korea = await createAgreementVia(t, drafter, { parties: [{ name: 'Republik Indonesia', kind: 'state', country: 'ID' }, { name: 'Republik Korea', kind: 'state', country: 'kor' }] });
      expect(korea.parties[1].country).to.equal('KR');
      expect(korea.code).to.match(/^MOU-KR-\d{4}-\d{2}$/);
      const before = await t.ctx.models.Agreement.countDocuments({});
      for (const country of ['MAL', 'XX', 'ZZ', 'Korea']) {
        const res = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(buildAgreement({ parties: [{ name: 'Negara Uji', kind: 'state', country }] }));
        expectError(res, 422, 'validation_failed');
        expect(res.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]), country).to.deep.equal([
          ['parties.0.country', "'parties[0].country' must be an ISO 3166-1 country code such as MY, SA or KR / 'parties[0].country' harus berupa kode negara ISO 3166-1, misalnya MY, SA atau KR"],
        ]);
      }
      expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(before);
      const filtered = await request(t.app).get('/api/agreements').query({ country: 'MAL' }).set(bearer(drafter));
      expectError(filtered, 422, 'validation_failed');
    });

    it('when a code already in use is given, then it answers 409 duplicate', async () => {
      await createAgreementVia(t, drafter, { code: 'MOU-XX-2020-01' });
      const res = await request(t.app).post('/api/agreements').set(bearer(drafter)).send(buildAgreement({ code: 'MOU-XX-2020-01' }));
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal('duplicate');
    });

    it('when no token is sent, then it answers 401 and stores nothing', async () => {
      const before = await t.ctx.models.Agreement.countDocuments({});
      const res = await request(t.app).post('/api/agreements').send(buildAgreement());
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('unauthenticated');
      expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(before);
    });

    it('when a diplomat tries to create, then it answers 403', async () => {
      const res = await request(t.app).post('/api/agreements').set(bearer(diplomat)).send(buildAgreement());
      expect(res.status).to.equal(403);
      expect(res.body.error.code).to.equal('forbidden');
    });

    it('when the body has unknown fields and wrong types, then it answers 422 naming each bad field and stores nothing', async () => {
      const before = await t.ctx.models.Agreement.countDocuments({});
      const res = await request(t.app)
        .post('/api/agreements')
        .set(bearer(drafter))
        .send(buildAgreement({ colour: 'red', type: 'treaty', stage: 'in_force', title: { id: 5 } }));
      expect(res.status).to.equal(422);
      const fields = res.body.error.details.map((d: any) => d.field);
      expect(fields).to.include.members(['colour', 'type', 'stage', 'title.id', 'title.en']);
      expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(before);
    });

    it('when the body is larger than the limit, then it answers 413 and stores nothing', async () => {
      const before = await t.ctx.models.Agreement.countDocuments({});
      const res = await request(t.app)
        .post('/api/agreements')
        .set(bearer(drafter))
        .send(buildAgreement({ subjects: Array.from({ length: 40 }, () => 'x'.repeat(40_000)) }));
      expect(res.status).to.equal(413);
      expect(res.body.error.code).to.equal('payload_too_large');
      expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(before);
    });

    it('when operators are smuggled in the body ($gt, $where, $expr), then it answers 422 and no operator reaches the database', async () => {
      const before = await t.ctx.models.Agreement.countDocuments({});
      const res = await request(t.app)
        .post('/api/agreements')
        .set(bearer(drafter))
        .send({ ...buildAgreement(), code: { $gt: '' }, $where: 'sleep(1000)', parties: [{ name: { $expr: {} }, kind: 'state' }] });
      expect(res.status).to.equal(422);
      const fields = res.body.error.details.map((d: any) => d.field);
      expect(fields).to.include.members(['code', '$where', 'parties.0.name']);
      expect(await t.ctx.models.Agreement.countDocuments({})).to.equal(before);
    });
  });

  describe('GET /api/agreements/:id', () => {
    it('when the agreement exists, then it answers 200 with it and its version as ETag', async () => {
      const created = await createAgreementVia(t, drafter);
      const res = await request(t.app).get(`/api/agreements/${created.id}`).set(bearer(diplomat));
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.equal(created);
      expect(res.headers.etag).to.equal('"1"');
    });

    it('when the id is unknown or malformed, then it answers 404 with the same body', async () => {
      const unknown = await request(t.app).get('/api/agreements/0123456789abcdef01234567').set(bearer(drafter));
      const malformed = await request(t.app).get('/api/agreements/not-an-id').set(bearer(drafter));
      expect(unknown.status).to.equal(404);
      expect(malformed.status).to.equal(404);
      expect(unknown.body.error.code).to.equal('not_found');
      expect(malformed.body.error.code).to.equal('not_found');
    });
  });

  describe('confidential agreements', () => {
    let secret: any;
    let otherUnit: string;
    before(async () => {
      secret = await createAgreementVia(t, drafter, { confidentiality: 'confidential', title: { id: 'Rahasia', en: 'Secret arrangement' } });
      otherUnit = (await loginAs(t, 'diplomat', { unit: 'HPI' })).token;
    });

    it('when a user of another unit reads it or its history, then it answers 404 like an unknown id', async () => {
      for (const path of ['', '/history', '/history/verify', '/transitions']) {
        const res = await request(t.app).get(`/api/agreements/${secret.id}${path}`).set(bearer(otherUnit));
        expect(res.status, path).to.equal(404);
        expect(res.body.error.code).to.equal('not_found');
      }
    });

    it('when a user of another unit comments on it or edits it, then it answers 404 and nothing is recorded', async () => {
      const events = await t.ctx.models.HistoryEvent.countDocuments({});
      const comment = await request(t.app).post(`/api/agreements/${secret.id}/comments`).set(bearer(otherUnit)).send({ text: 'x' });
      expect(comment.status).to.equal(404);
      const otherDrafter = (await loginAs(t, 'drafter', { unit: 'HPI' })).token;
      const edit = await request(t.app).patch(`/api/agreements/${secret.id}`).set(bearer(otherDrafter)).send({ version: 1, subjects: ['x'] });
      expect(edit.status).to.equal(404);
      expect(await t.ctx.models.HistoryEvent.countDocuments({})).to.equal(events);
    });

    it('when an auditor of another unit reads it, then it answers 404; an admin of another unit sees it', async () => {
      const auditor = (await loginAs(t, 'auditor', { unit: 'ITJEN' })).token;
      const admin = (await loginAs(t, 'admin', { unit: 'ITJEN' })).token;
      expect((await request(t.app).get(`/api/agreements/${secret.id}`).set(bearer(auditor))).status).to.equal(404);
      const seen = await request(t.app).get(`/api/agreements/${secret.id}`).set(bearer(admin));
      expect(seen.status).to.equal(200);
      expect(seen.body.title.en).to.equal('Secret arrangement');
    });

    it('when another unit lists or searches, then the confidential agreement is neither listed nor counted', async () => {
      const res = await request(t.app).get('/api/agreements').query({ q: 'secret arrangement' }).set(bearer(otherUnit));
      expect(res.status).to.equal(200);
      expect(res.body).to.deep.include({ items: [], total: 0 });
      const own = await request(t.app).get('/api/agreements').query({ q: 'secret arrangement' }).set(bearer(diplomat));
      expect(own.body.items.map((a: any) => a.id)).to.deep.equal([secret.id]);
    });
  });

  describe('GET /api/agreements (list and search)', () => {
    let t2: TestApp;
    let token: string;
    const ids: Record<string, string> = {};
    before(async () => {
      t2 = await createTestApp({ label: 'agr_list' });
      token = (await loginAs(t2, 'drafter', { unit: 'PWNI' })).token;
      ids.my = (await createAgreementVia(t2, token, { subjects: ['pekerja-migran'] })).id;
      // only an administrator places an agreement under another unit
      const admin = (await loginAs(t2, 'admin')).token;
      ids.sa = (
        await createAgreementVia(t2, admin, {
          type: 'technical_arrangement',
          title: { id: 'Pengaturan Teknis SPSK', en: 'SPSK Technical Arrangement' },
          parties: [{ name: 'Kerajaan Arab Saudi', kind: 'state', country: 'SA' }],
          leadUnit: 'KONS',
        })
      ).id;
      ids.pks = (
        await createAgreementVia(t2, token, {
          type: 'cooperation_agreement',
          title: { id: 'PKS Data Kewarganegaraan', en: 'Citizenship data cooperation' },
          parties: [{ name: 'Ditjen AHU Kemenkumham', kind: 'agency', country: 'ID' }],
          subjects: ['kewarganegaraan'],
        })
      ).id;
      await moveVia(t2, token, ids.sa, 'negotiation');
    });
    after(async () => t2.close());

    const list = (query: Record<string, unknown>) => request(t2.app).get('/api/agreements').query(query).set(bearer(token));

    it('when filtered by stage, type, party, country, subject or lead unit, then only the matching agreements come back with their total', async () => {
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ stage: 'negotiation' }, [ids.sa]],
        [{ type: 'cooperation_agreement' }, [ids.pks]],
        [{ party: 'kerajaan arab saudi' }, [ids.sa]],
        // the country's name, in either language, finds its parties
        [{ party: 'Arab Saudi' }, [ids.sa]],
        [{ party: 'saudi arabia' }, [ids.sa]],
        [{ country: 'my' }, [ids.my]],
        [{ country: 'MYS' }, [ids.my]],
        [{ subject: 'kewarganegaraan' }, [ids.pks]],
        [{ leadUnit: 'KONS' }, [ids.sa]],
        // a unit or subject typed in another case is the same one
        [{ leadUnit: 'kons' }, [ids.sa]],
        [{ subject: 'KEWARGANEGARAAN' }, [ids.pks]],
      ];
      for (const [query, expected] of cases) {
        const res = await list(query);
        expect(res.status, JSON.stringify(query)).to.equal(200);
        expect(res.body.items.map((a: any) => a.id), JSON.stringify(query)).to.deep.equal(expected);
        expect(res.body.total).to.equal(expected.length);
      }
    });

    it('when searching free text over code, titles in both languages and party names, then matches are case-insensitive substrings', async () => {
      expect((await list({ q: 'spsk technical' })).body.items.map((a: any) => a.id)).to.deep.equal([ids.sa]);
      expect((await list({ q: 'data kewarganegaraan' })).body.items.map((a: any) => a.id)).to.deep.equal([ids.pks]);
      expect((await list({ q: 'ahu kemenkumham' })).body.items.map((a: any) => a.id)).to.deep.equal([ids.pks]);
      expect((await list({ q: 'PKS-ID-' })).body.items.map((a: any) => a.id)).to.deep.equal([ids.pks]);
      expect((await list({ q: '.*' })).body.total, 'regex characters are literal').to.equal(0);
    });

    it('when sorted and paginated, then pages follow the order and total counts all matches', async () => {
      const page1 = await list({ sort: 'code', limit: 2 });
      const page2 = await list({ sort: 'code', limit: 2, offset: 2 });
      const all = [...page1.body.items, ...page2.body.items].map((a: any) => a.code);
      expect(page1.body.total).to.equal(3);
      expect(all).to.deep.equal([...all].sort());
      expect(all).to.have.length(3);
    });

    it('when overdue is asked for, then only agreements past their stage deadline come back', async () => {
      await t2.ctx.models.Agreement.updateOne({ _id: ids.my }, { $set: { stageDueAt: new Date('2020-01-01') } });
      const overdue = await list({ overdue: true });
      expect(overdue.body.items.map((a: any) => a.id)).to.deep.equal([ids.my]);
      const onTime = await list({ overdue: false });
      expect(onTime.body.items.map((a: any) => a.id)).to.not.include(ids.my);
    });

    it('when query operators are injected (?stage[$ne]=x, $where, $expr), then it answers 422 and nothing leaks', async () => {
      for (const qs of ['stage[$ne]=x', '$where=1', 'code[$gt]=', '$expr[$eq]=1', 'q[$regex]=.*']) {
        const res = await request(t2.app).get(`/api/agreements?${qs}`).set(bearer(token));
        expect(res.status, qs).to.equal(422);
        expect(res.body.error.code).to.equal('validation_failed');
        expect(res.body).to.not.have.property('items');
      }
    });

    it('when an operator object slips past the edge into the domain, then sanitizeFilter keeps it a plain value and nothing is listed', async () => {
      const admin = { id: 'a', email: 'a@x.id', name: 'A', role: 'admin' as const, unit: 'PWNI' };
      const all = await listAgreements(t2.ctx, admin, {});
      expect(all.total).to.equal(3);
      // Wrapped in $eq, {$ne: 'x'} is a value no stage equals: unwrapped, it would list all three.
      for (const stage of [{ $ne: 'x' }, { $exists: true }]) {
        const injected = await listAgreements(t2.ctx, admin, { stage: stage as any });
        expect(injected.total, JSON.stringify(stage)).to.equal(0);
        expect(injected.items).to.deep.equal([]);
        const facets = await countByStage(t2.ctx, admin, { leadUnit: stage as any });
        expect(facets.all.total, JSON.stringify(stage)).to.equal(0);
      }
    });

    it('when a key that takes one value is repeated (?stage=a&stage=b), then it answers 400', async () => {
      const res = await request(t2.app).get('/api/agreements?stage=drafting&stage=negotiation').set(bearer(token));
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('bad_request');
      expect(res.body.error.message).to.match(/stage/);
    });

    it('when an unknown stage is asked for, then it answers 422 naming the parameter', async () => {
      const res = await list({ stage: 'signed_sealed' });
      expect(res.status).to.equal(422);
      expect(res.body.error.details[0].field).to.equal('stage');
    });

    // last: it adds agreements of its own, which the counts above do not expect
    it('when sorted by the stage due soonest, then agreements without a stage deadline come after every dated one, on every page and in the CSV', async () => {
      const subject = 'urut-tenggat';
      const made = [];
      for (const n of [1, 2, 3]) made.push((await createAgreementVia(t2, token, { subjects: [subject], title: { id: `Urut ${n}`, en: `Order ${n}` } })).id);
      // on hold, the first has no stage deadline
      await moveVia(t2, token, made[0], 'on_hold');
      expect((await request(t2.app).get(`/api/agreements/${made[0]}`).set(bearer(token))).body.stageDueAt).to.equal(null);
      const page = async (offset: number, limit: number) => (await list({ subject, sort: 'stageDueAt', offset, limit })).body;
      const first = await page(0, 2);
      expect(first.items.map((a: any) => a.id)).to.deep.equal([made[1], made[2]]);
      expect(first.total).to.equal(3);
      expect((await page(1, 2)).items.map((a: any) => a.id)).to.deep.equal([made[2], made[0]]);
      expect((await page(2, 5)).items.map((a: any) => a.id)).to.deep.equal([made[0]]);
      const csv = await request(t2.app).get('/api/agreements').query({ subject, sort: 'stageDueAt', format: 'csv', lang: 'en' }).set(bearer(token));
      expect(csv.text.trimEnd().split('\r\n').slice(1).map((line) => line.split(',')[0])).to.deep.equal(
        await Promise.all([made[1], made[2], made[0]].map(async (id) => (await request(t2.app).get(`/api/agreements/${id}`).set(bearer(token))).body.code)),
      );
    });
  });

  describe('PATCH /api/agreements/:id', () => {
    it('when a drafter edits with the current version, then it answers 200 with the change and the next version', async () => {
      const a = await createAgreementVia(t, drafter);
      const res = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).set('If-Match', '"1"').send({ subjects: ['baru'] });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ version: 2 });
      expect(res.body.subjects).to.deep.equal(['baru']);
    });

    it('when the version is stale, then it answers 409 with the current version and changes nothing', async () => {
      const a = await createAgreementVia(t, drafter);
      await patchVia(t, drafter, a.id, { subjects: ['satu'] });
      const res = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).send({ version: 1, subjects: ['dua'] });
      expect(res.status).to.equal(409);
      expect(res.body.error.code).to.equal('version_conflict');
      expect(res.body.error.details.currentVersion).to.equal(2);
      const now = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter));
      expect(now.body.subjects).to.deep.equal(['satu']);
    });

    it('when no version is given, then it answers 422 naming version', async () => {
      const a = await createAgreementVia(t, drafter);
      const res = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).send({ subjects: ['x'] });
      expect(res.status).to.equal(422);
      expect(res.body.error.details[0].field).to.equal('version');
    });

    it('when the body tries to set stage, _id, history or createdAt, then it answers 400 naming them and nothing changes', async () => {
      const a = await createAgreementVia(t, drafter);
      for (const body of [{ stage: 'in_force' }, { _id: 'x' }, { history: [] }, { createdAt: '2020-01-01' }, { id: a.id, subjects: ['y'] }]) {
        const res = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).set('If-Match', '1').send(body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error.details.fields).to.include(Object.keys(body)[0]);
      }
      const now = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter));
      expect(now.body).to.include({ stage: 'drafting', version: 1 });
    });

    it('when If-Match and a different version field are both sent, then it answers 400: the version cannot be set', async () => {
      const a = await createAgreementVia(t, drafter);
      const res = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).set('If-Match', '"1"').send({ version: 7, subjects: ['z'] });
      expect(res.status).to.equal(400);
      expect((await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(drafter))).body.version).to.equal(1);
    });

    it('when an unknown field is sent, then it answers 422 naming it', async () => {
      const a = await createAgreementVia(t, drafter);
      const res = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).send({ version: 1, colour: 'blue', remindersPaused: 'often' });
      expect(res.status).to.equal(422);
      expect(res.body.error.details.map((d: any) => d.field)).to.include.members(['colour', 'remindersPaused']);
    });

    it('when a diplomat edits, then it answers 403', async () => {
      const a = await createAgreementVia(t, drafter);
      const res = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(diplomat)).send({ version: 1, subjects: ['x'] });
      expect(res.status).to.equal(403);
      const after = await request(t.app).get(`/api/agreements/${a.id}`).set(bearer(diplomat));
      expect(after.body.subjects).to.not.include('x');
      expect(after.body.version).to.equal(a.version);
    });

    it('when the title changes after text_agreed, then it answers 409 until the agreement is sent back to negotiation', async () => {
      const a = await createAgreementVia(t, drafter);
      await moveVia(t, drafter, a.id, 'negotiation');
      await moveVia(t, drafter, a.id, 'legal_review');
      await uploadFinalTexts(t, drafter, a.id, ['id', 'en']);
      const agreed = await moveVia(t, drafter, a.id, 'text_agreed');
      const refused = await request(t.app).patch(`/api/agreements/${a.id}`).set(bearer(drafter)).send({ version: agreed.version, title: { id: 'Baru', en: 'New' } });
      expect(refused.status).to.equal(409);
      expect(refused.body.error.code).to.equal('invalid_state');
      await moveVia(t, drafter, a.id, 'negotiation', { note: 'Pasal 3 diubah' });
      const edited = await patchVia(t, drafter, a.id, { title: { id: 'Baru', en: 'New' } });
      expect(edited.title.en).to.equal('New');
    });

    it('when parties are edited, then known ids keep their status and new parties start pending', async () => {
      const a = await createAgreementVia(t, drafter);
      const [id0] = a.parties.map((p: any) => p.id);
      const edited = await patchVia(t, drafter, a.id, {
        parties: [
          { id: id0, name: 'Republik Indonesia', kind: 'state', country: 'ID', status: 'cleared' },
          { name: 'ASEAN', kind: 'organisation' },
        ],
      });
      expect(edited.parties.map((p: any) => [p.name, p.status])).to.deep.equal([
        ['Republik Indonesia', 'cleared'],
        ['ASEAN', 'pending'],
      ]);
      expect(edited.parties[0].id).to.equal(id0);
    });
  });
});
