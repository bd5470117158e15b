import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, patchVia } from '../support/agreements.js';
import { ManualClock } from '../../lib/clock.js';
import { backfillSearchTerms, SEARCH_TERMS_MARKER } from '../../domain/agreements/backfill-search-terms.js';
import { buildFilter, buildSort } from '../../domain/agreements/list-agreements.js';

describe('agreements API: free-text search and stable pages', () => {
  let t: TestApp;
  let drafter: string;
  // Time stands still (tokens stay valid: the TTL index expires them by the real clock).
  const clock = new ManualClock();
  const ids: Record<string, string> = {};
  const codes: Record<string, string> = {};

  before(async () => {
    t = await createTestApp({ label: 'agr_search', clock });
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    const made = async (key: string, body: Record<string, unknown>) => {
      const a = await createAgreementVia(t, drafter, body);
      ids[key] = a.id;
      codes[key] = a.code;
    };
    await made('ahu', {
      type: 'cooperation_agreement',
      title: { id: 'PKS Integrasi Data Kewarganegaraan', en: 'Citizenship Data Integration' },
      parties: [{ name: 'Ditjen AHU Kemenkumham', kind: 'agency', country: 'ID', signatory: { name: 'Dirjen', email: 'dirjen@ahu.test' } }],
    });
    await made('qatar', {
      title: { id: 'Nota Kesepahaman Penempatan Pekerja Migran', en: 'Memorandum on the Placement of Migrant Workers' },
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri', email: 'menteri@kemlu.test' } },
        { name: 'Negara Qatar', kind: 'state', country: 'QA', signatory: { name: 'Minister', email: 'minister@qa.test' } },
      ],
    });
    await made('turkiye', {
      title: { id: 'Pengaturan Teknis Rumah Aman (Shelter)', en: 'Technical Arrangement on Shelters' },
      parties: [
        { name: 'Republik Indonesia', kind: 'state', country: 'ID', signatory: { name: 'Menteri', email: 'menteri@kemlu.test' } },
        { name: 'Türkiye', kind: 'state', country: 'TR', signatory: { name: 'Bakan', email: 'bakan@tr.test' } },
      ],
    });
  });
  after(async () => t.close());

  const search = async (q: string) => {
    const res = await request(t.app).get('/api/agreements').query({ q, limit: 100 }).set(bearer(drafter));
    expect(res.status, q).to.equal(200);
    expect(res.body.total, `${q}: total`).to.equal(res.body.items.length);
    return res.body.items.map((a: any) => a.id).sort();
  };

  it('when a word of the code, either title or a party name is searched, then it is found whatever the case', async () => {
    expect(await search('KEWARGANEGARAAN')).to.deep.equal([ids.ahu]);
    expect(await search('citizenship')).to.deep.equal([ids.ahu]);
    expect(await search('kemenkumham')).to.deep.equal([ids.ahu]);
    expect(await search('qatar')).to.deep.equal([ids.qatar]);
    expect(await search('türkiye')).to.deep.equal([ids.turkiye]);
    expect(await search('TÜRKIYE')).to.deep.equal([ids.turkiye]);
  });

  it('when only the start of a word is typed, then it matches; the middle or the end of a word does not', async () => {
    expect(await search('kemenk')).to.deep.equal([ids.ahu]);
    expect(await search('ahu kemen')).to.deep.equal([ids.ahu]);
    expect(await search('migr')).to.deep.equal([ids.qatar]);
    expect(await search('menkumham')).to.deep.equal([]);
    expect(await search('atar')).to.deep.equal([]);
    expect(await search('grant')).to.deep.equal([]);
  });

  it('when several words are searched, then they must follow each other as typed', async () => {
    expect(await search('pekerja migran')).to.deep.equal([ids.qatar]);
    expect(await search('placement of migrant')).to.deep.equal([ids.qatar]);
    expect(await search('migran pekerja')).to.deep.equal([]);
  });

  it('when words are typed with spaces where the code, a title or a comment has hyphens, then the agreement is found, but never across two fields', async () => {
    const a = await createAgreementVia(t, drafter, {
      type: 'guideline',
      title: { id: 'Pedoman Penanganan Kasus Hukuman Mati', en: 'Guideline on Handling Death-Penalty Cases' },
      parties: [{ name: 'Kementerian Luar Negeri', kind: 'agency', country: 'ID', signatory: { name: 'Menteri', email: 'menteri@kemlu.test' } }],
    });
    // what a diplomat types: the words as spoken, not the hyphens of the title or the code
    expect(await search('death penalty')).to.deep.equal([a.id]);
    expect(await search('Death Penalty Cases')).to.deep.equal([a.id]);
    expect(await search(a.code.split('-').join(' '))).to.deep.equal([a.id]);
    expect(await search('death-penalty')).to.deep.equal([a.id]);
    // the English title ends where the party names begin: no phrase runs from one into the other
    expect(await search('cases kementerian')).to.deep.equal([]);

    const other = await createAgreementVia(t, drafter, {
      type: 'guideline',
      title: { id: 'Pedoman Uji Komentar Bertanda Hubung', en: 'Hyphenated Comment Test Guideline' },
      authenticLanguages: ['id'],
      parties: [{ name: 'Direktorat PWNI', kind: 'agency', country: 'ID', signatory: { name: 'Direktur', email: 'direktur@kemlu.test' } }],
    });
    const comment = await request(t.app).post(`/api/agreements/${other.id}/comments`).set(bearer(drafter)).send({ text: 'The partner asks for a follow-up meeting in Doha.' });
    expect(comment.status).to.equal(201);
    const found = await request(t.app).get('/api/agreements').query({ q: 'follow up meeting' }).set(bearer(drafter));
    expect(found.body.items.map((i: any) => i.id)).to.deep.equal([other.id]);
    expect(found.body.items[0].match.excerpt).to.contain('follow-up meeting');
  });

  it('when a code or the part of it after a hyphen is searched, then the agreement is found', async () => {
    expect(await search(codes.ahu)).to.deep.equal([ids.ahu]);
    expect(await search(codes.ahu.toLowerCase())).to.deep.equal([ids.ahu]);
    const [, country, year] = codes.qatar.split('-');
    expect(await search(`${country}-${year}`)).to.deep.equal([ids.qatar]);
    expect(await search('pks-id-')).to.deep.equal([ids.ahu]);
  });

  it('when the query has punctuation, brackets or regex characters, then they are matched literally', async () => {
    expect(await search('(shelter)')).to.deep.equal([ids.turkiye]);
    expect(await search('rumah aman (shel')).to.deep.equal([ids.turkiye]);
    expect(await search('shelter)')).to.deep.equal([ids.turkiye]);
    expect(await search('aman.*')).to.deep.equal([]);
    expect(await search('[a-z]+')).to.deep.equal([]);
  });

  it('when a search term holds a control character (a NUL), then 422 names the field and nothing reaches the database as a regex', async () => {
    for (const [field, value] of [['q', 'shel\u0000ter'], ['q', '\u0000'], ['party', 'qatar\u0007'], ['subject', 'x\u001f']]) {
      const res = await request(t.app).get('/api/agreements').query({ [field]: value }).set(bearer(drafter));
      expect(res.status, `${field}=${JSON.stringify(value)}`).to.equal(422);
      expect(res.body.error.code).to.equal('validation_failed');
      expect(res.body.error.details.map((d: any) => d.field)).to.deep.equal([field]);
      expect(res.body.error.details[0].message).to.match(/control characters .* karakter kendali/);
    }
  });

  it('when a phrase with a NUL reaches the list filter anyway, then the NUL is written as an escape the database accepts', async () => {
    const filter = buildFilter({ role: 'admin' } as any, { q: 'a\u0000b' } as any, new Date()) as any;
    expect(filter.searchText.$regex).to.equal('a\\x00b');
    expect(await t.ctx.models.Agreement.countDocuments(filter)).to.equal(0);
  });

  it('when the query is short or a word nearly every agreement holds, then it still answers correctly', async () => {
    expect(await search('indonesia')).to.deep.equal([ids.qatar, ids.turkiye].sort());
    expect(await search('pks')).to.deep.equal([ids.ahu]);
    expect(await search('tr')).to.deep.equal([ids.turkiye]);
    expect(await search('x')).to.deep.equal([]);
  });

  it('when a title is edited, then the new words are found and the old ones no longer', async () => {
    const a = await createAgreementVia(t, drafter, { title: { id: 'Nota Kesepahaman Perikanan', en: 'Fisheries Memorandum' } });
    expect(await search('perikanan')).to.deep.equal([a.id]);
    await patchVia(t, drafter, a.id, { title: { id: 'Nota Kesepahaman Kelautan', en: 'Maritime Memorandum' } });
    expect(await search('perikanan')).to.deep.equal([]);
    expect(await search('kelautan')).to.deep.equal([a.id]);
    expect(await search('maritime memo')).to.deep.equal([a.id]);
  });

  it('when agreements stored before search keys existed are prepared at start-up, then search finds them (once per database)', async () => {
    const a = await createAgreementVia(t, drafter, { title: { id: 'Nota Kesepahaman Astronomi', en: 'Astronomy Memorandum' } });
    await t.ctx.models.Agreement.collection.updateOne({ _id: new Types.ObjectId(a.id) }, { $unset: { searchTerms: '' } });
    await t.ctx.models.Counter.deleteOne({ _id: SEARCH_TERMS_MARKER });
    expect(await search('astronomi'), 'without its keys the index does not hold it').to.deep.equal([]);
    expect(await backfillSearchTerms(t.ctx)).to.equal(1);
    expect(await search('astronomi')).to.deep.equal([a.id]);
    expect(await backfillSearchTerms(t.ctx), 'the marker keeps it from running twice').to.equal(0);
  });

  it('when many agreements share the same update time, then offset pages neither repeat nor skip one', async () => {
    const p = await createTestApp({ label: 'agr_pages', clock: new ManualClock() });
    try {
      const token = (await loginAs(p, 'drafter', { unit: 'PWNI' })).token;
      const made: string[] = [];
      for (let i = 0; i < 7; i++) made.push((await createAgreementVia(p, token, { title: { id: `Nota ${i}`, en: `Memo ${i}` } })).id);
      const seen: string[] = [];
      for (let offset = 0; offset < 7; offset += 2) {
        const res = await request(p.app).get('/api/agreements').query({ limit: 2, offset }).set(bearer(token));
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        expect(res.body.total).to.equal(7);
        seen.push(...res.body.items.map((a: any) => a.id));
      }
      expect(seen).to.have.length(7);
      expect([...seen].sort()).to.deep.equal([...made].sort());
      expect(seen, 'newest id first among equal times').to.deep.equal([...made].reverse());
    } finally {
      await p.close();
    }
  });

  it('when listing by stage, type, party or free text, then the database answers page and total from an index, never a collection scan', async () => {
    const actor = { id: 'x', email: 'x@x.id', name: 'X', role: 'diplomat' as const, unit: 'PWNI' };
    const db = t.ctx.connection.db!;
    for (const input of [{ stage: 'drafting' as const }, { type: 'mou' as const }, { party: 'qa' }, { q: 'kewarganegaraan' }, { q: codes.qatar }]) {
      // JSON round trip: the plain operators, as they go over the wire
      const filter = JSON.parse(JSON.stringify(buildFilter(actor, input, new Date())));
      const page = await db.command({ explain: { find: 'agreements', filter, sort: buildSort(), limit: 50 }, verbosity: 'queryPlanner' });
      const count = await db.command({ explain: { count: 'agreements', query: filter }, verbosity: 'queryPlanner' });
      expect(JSON.stringify(page.queryPlanner.winningPlan), `page ${JSON.stringify(input)}`).to.not.include('COLLSCAN');
      expect(JSON.stringify(count.queryPlanner.winningPlan), `count ${JSON.stringify(input)}`).to.not.include('COLLSCAN');
    }
  });
});
