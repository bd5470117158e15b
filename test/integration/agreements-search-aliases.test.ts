import { expect } from 'chai';
import request from 'supertest';
import { ConnectionString } from 'mongodb-connection-string-url';
import type { CommandStartedEvent } from 'mongodb';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDatabase } from '../support/db.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { ManualClock } from '../../lib/clock.js';
import { buildFilter, buildSort } from '../../domain/agreements/list-agreements.js';

const agency = (name: string) => ({ name, kind: 'agency', country: 'ID', signatory: { name: 'Kepala', email: `kepala.${name.length}@test.local` } });

describe('agreements API: search by the directorate’s abbreviations and their spelled-out forms', () => {
  let t: TestApp;
  let drafter: string;
  const ids: Record<string, string> = {};
  const sent: CommandStartedEvent[] = [];

  before(async () => {
    // the app's own connection reports every command it sends: a search's database work is counted
    const database = await testDatabase('agr_aliases');
    const uri = new ConnectionString(database.uri);
    uri.searchParams.set('monitorCommands', 'true');
    t = await createTestApp({ database: { ...database, uri: uri.toString() }, clock: new ManualClock() });
    t.ctx.connection.getClient().on('commandStarted', (e) => sent.push(e));
    drafter = (await loginAs(t, 'drafter', { unit: 'PWNI' })).token;
    const made = async (key: string, body: Record<string, unknown>) => {
      ids[key] = (await createAgreementVia(t, drafter, body)).id;
    };
    await made('spelled', {
      type: 'cooperation_agreement',
      title: { id: 'PKS Pencegahan dan Penanganan WNI Korban Perdagangan Orang di Luar Negeri', en: 'Cooperation on Protecting Indonesian Victims Abroad' },
      parties: [agency('Kementerian Luar Negeri'), agency('Lembaga Perlindungan Saksi dan Korban')],
    });
    await made('abbreviated', {
      type: 'cooperation_agreement',
      title: { id: 'PKS Rencana Aksi Penanganan TPPO', en: 'Cooperation on an Action Plan against TPPO' },
      parties: [agency('Kemlu'), agency('Polri')],
    });
    await made('pmi', { title: { id: 'Nota Kesepahaman Penempatan PMI Sektor Domestik', en: 'MoU on the Placement of Domestic Workers' } });
    await made('cpmi', { title: { id: 'Nota Kesepahaman Pelatihan Pra-Penempatan CPMI', en: 'MoU on Pre-Departure Training' } });
    await made('shelter', { title: { id: 'Pengaturan Teknis Rumah Aman', en: 'Technical Arrangement on Shelters' } });
  });
  after(async () => t.close());

  const search = async (q: string) => {
    const res = await request(t.app).get('/api/agreements').query({ q, limit: 100 }).set(bearer(drafter));
    expect(res.status, q).to.equal(200);
    expect(res.body.total, `${q}: total`).to.equal(res.body.items.length);
    return res.body.items.map((a: any) => a.id).sort();
  };
  const both = () => [ids.spelled, ids.abbreviated].sort();

  it('when "TPPO" is searched, then a title that spells it out as "perdagangan orang" is found too', async () => {
    expect(await search('TPPO')).to.deep.equal(both());
    expect(await search('trafficking in persons')).to.deep.equal(both());
  });

  it('when "perdagangan orang" is searched, then a title saying "TPPO" is found too', async () => {
    expect(await search('perdagangan orang')).to.deep.equal(both());
    expect(await search('korban perdagangan orang'), 'the words around the form still count').to.deep.equal([ids.spelled]);
  });

  it('when "kemlu" is searched in any case, then a party named "Kementerian Luar Negeri" is found, and the other way round', async () => {
    expect(await search('kemlu')).to.deep.equal(both());
    expect(await search('KEMLU')).to.deep.equal(both());
    expect(await search('Kementerian Luar Negeri')).to.deep.equal(both());
    expect(await search('ministry of foreign affairs')).to.deep.equal(both());
    expect(await search('lpsk')).to.deep.equal([ids.spelled]);
  });

  it('when "PMI" is searched, then only word starts match: "CPMI", a term of its own in the glossary (prospective worker), is not found', async () => {
    // CPMI is its own glossary term (prospective migrant worker) and a search matches word starts only,
    // so "PMI" does not reach inside "CPMI"; "CPMI" finds its own spelled-out form.
    expect(await search('PMI')).to.deep.equal([ids.pmi]);
    expect(await search('pekerja migran indonesia')).to.deep.equal([ids.pmi]);
    expect(await search('CPMI')).to.deep.equal([ids.cpmi]);
    expect(await search('indonesian migrant worker')).to.deep.equal([ids.pmi]);
  });

  it('when a word unrelated to any abbreviation is searched, then the answer is as before', async () => {
    expect(await search('shelter')).to.deep.equal([ids.shelter]);
    expect(await search('rumah aman')).to.deep.equal([ids.shelter]);
    expect(await search('elter')).to.deep.equal([]);
    expect(await search('penempatan')).to.deep.equal([ids.pmi, ids.cpmi].sort());
  });

  it('when "K/L" is searched, then a comment spelling out "Kementerian/Lembaga" is found, with it in the excerpt', async () => {
    const comment = await request(t.app).post(`/api/agreements/${ids.shelter}/comments`).set(bearer(drafter)).send({ text: 'Rapat koordinasi dengan Kementerian/Lembaga terkait dijadwalkan pekan depan.' });
    expect(comment.status).to.equal(201);
    const res = await request(t.app).get('/api/agreements').query({ q: 'K/L' }).set(bearer(drafter));
    expect(res.status).to.equal(200);
    expect(res.body.items.map((i: any) => i.id)).to.deep.equal([ids.shelter]);
    expect(res.body.items[0].match.in).to.equal('comment');
    expect(res.body.items[0].match.excerpt).to.contain('Kementerian/Lembaga terkait');
  });

  it('when an abbreviation is searched, then the database still answers page and total from an index', async () => {
    const actor = { id: 'x', email: 'x@x.id', name: 'X', role: 'diplomat' as const, unit: 'PWNI' };
    const db = t.ctx.connection.db!;
    for (const input of [{ q: 'tppo' }, { q: 'pmi kemlu' }]) {
      const filter = JSON.parse(JSON.stringify(buildFilter(actor, input, new Date())));
      expect(filter.searchTerms.$in, input.q).to.be.an('array').with.length.greaterThan(1);
      const page = await db.command({ explain: { find: 'agreements', filter, sort: buildSort(), limit: 50 }, verbosity: 'queryPlanner' });
      const count = await db.command({ explain: { count: 'agreements', query: filter }, verbosity: 'queryPlanner' });
      expect(JSON.stringify(page.queryPlanner.winningPlan), `page ${input.q}`).to.not.include('COLLSCAN');
      expect(JSON.stringify(count.queryPlanner.winningPlan), `count ${input.q}`).to.not.include('COLLSCAN');
    }
  });

  it('when an abbreviation is searched, then the list sends the database as many commands as for a plain word', async () => {
    const commandsFor = async (q: string) => {
      sent.length = 0;
      await search(q);
      return sent.map((e) => `${e.commandName} ${e.command[e.commandName]}`).sort();
    };
    // the reader's token, the page and its count, the texts: the spellings go into the same commands
    const plain = await commandsFor('polri');
    expect(plain).to.include.members(['find agreements', 'find agreement_texts']);
    expect(await commandsFor('tppo')).to.deep.equal(plain);
    expect(await commandsFor('pmi kemlu')).to.deep.equal(plain);
  });
});
