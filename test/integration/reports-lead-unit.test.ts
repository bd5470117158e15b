import { expect } from 'chai';
import request from 'supertest';
import { stringify } from 'csv-stringify/sync';
import { ConnectionString } from 'mongodb-connection-string-url';
import type { CommandStartedEvent, Document } from 'mongodb';
import { createTestApp, type TestApp } from '../support/app.js';
import { testDatabase } from '../support/db.js';
import { loginAs } from '../support/users.js';
import { bearer, moveVia, patchVia } from '../support/agreements.js';
import { REGISTER_COLUMNS } from '../../domain/imports/register-columns.js';
import { verifyHistory } from '../../domain/history/verify-history.js';
import { backfillHistoryLeadUnit, HISTORY_LEAD_UNIT_MARKER } from '../../domain/history/backfill-history-lead-unit.js';
import type { Summary } from '../../domain/reports/summarize-period.js';

/** 40 memoranda in drafting since last December: 32 led by PWNI, 8 by HPI (a fifth). */
const UNITS = Array.from({ length: 40 }, (_, i) => (i % 5 === 4 ? 'HPI' : 'PWNI'));
const year = new Date().getUTCFullYear();

function registerCsv(): Buffer {
  const rows = UNITS.map((unit, i) => ({
    code: `LU-${String(i + 1).padStart(3, '0')}`,
    type: 'mou',
    title_id: `Nota Kesepahaman Unit ${i + 1}`,
    title_en: `Unit Memorandum ${i + 1}`,
    lead_unit: unit,
    stage: 'drafting',
    stage_since: `${year - 1}-12-01`,
    parties: 'Republik Indonesia [state, ID]; Malaysia [state, MY]',
    signatories: 'Menteri, Menteri; Minister, Minister',
  }));
  return Buffer.from('\uFEFF' + stringify(rows, { header: true, columns: REGISTER_COLUMNS.map((c) => c.key) }));
}

/** Every plan node (an object with a `stage`) anywhere in an explain answer, whatever its shape. */
function planNodes(value: unknown, out: Document[] = []): Document[] {
  if (Array.isArray(value)) value.forEach((v) => planNodes(v, out));
  else if (value && typeof value === 'object') {
    if (typeof (value as Document).stage === 'string') out.push(value as Document);
    Object.values(value).forEach((v) => planNodes(v, out));
  }
  return out;
}

/**
 * The keys and documents the pipeline's own read examined. mongod answers `executionStats` at the
 * top (slot-based engine) or under the first stage's `$cursor` (classic engine); both carry these
 * two counts.
 */
function examined(explain: Document): { keys: number; docs: number } {
  const stats = explain.executionStats ?? explain.stages?.[0]?.$cursor?.executionStats;
  expect(stats, JSON.stringify(explain).slice(0, 400)).to.be.an('object');
  return { keys: Number(stats.totalKeysExamined), docs: Number(stats.totalDocsExamined) };
}

describe('reports: one lead unit reads only its own history', function () {
  this.timeout(120_000);
  let t: TestApp;
  let admin: string;
  const sent: CommandStartedEvent[] = [];

  before(async () => {
    // The app's own connection reports every command it sends: the test explains exactly the pipelines the report ran.
    const database = await testDatabase('rep_unit');
    const uri = new ConnectionString(database.uri);
    uri.searchParams.set('monitorCommands', 'true');
    t = await createTestApp({ database: { ...database, uri: uri.toString() } });
    t.ctx.connection.getClient().on('commandStarted', (e) => sent.push(e));
    admin = (await loginAs(t, 'admin')).token;
    const imported = await request(t.app).post('/api/imports?dryRun=false').set(bearer(admin)).attach('file', registerCsv(), 'units.csv');
    expect(imported.status, JSON.stringify(imported.body).slice(0, 400)).to.equal(201);
    for (const a of imported.body.agreements as Array<{ id: string }>) await moveVia(t, admin, a.id, 'negotiation');
  });
  after(async () => t.close());

  const period = `from=${year}-01-01&to=${year}-12-31`;
  const summaryOf = async (query: string) => (await request(t.app).get(`/api/reports/summary?${period}${query}`).set(bearer(admin)).expect(200)).body as Summary;
  const draftingStays = (s: Summary) => s.stageDurations.find((d) => d.type === 'mou' && d.stage === 'drafting')?.instances ?? 0;

  /** The aggregates on history events that one summary request sent, each explained through the driver with execution statistics. */
  async function explainHistoryReads(query: string): Promise<Document[]> {
    sent.length = 0;
    await summaryOf(query);
    const pipelines = sent.filter((e) => e.commandName === 'aggregate' && e.command.aggregate === 'history_events').map((e) => e.command.pipeline as Document[]);
    expect(pipelines.length).to.be.greaterThan(2);
    return Promise.all(pipelines.map((pipeline) => t.ctx.connection.db!.command({ explain: { aggregate: 'history_events', pipeline, cursor: {} }, verbosity: 'executionStats' })));
  }

  it('when a lead unit’s summary is asked, then every read of the history goes through an index and examines about that unit’s share of the period’s events, not all of them', async () => {
    const whole = await explainHistoryReads('');
    const unit = await explainHistoryReads('&leadUnit=HPI');
    const sum = (xs: Document[], k: 'keys' | 'docs') => xs.reduce((n, x) => n + examined(x)[k], 0);
    for (const x of unit) expect(planNodes(x).map((n) => n.stage), JSON.stringify(x).slice(0, 400)).not.to.include('COLLSCAN');
    const [wholeKeys, unitKeys, wholeDocs, unitDocs] = [sum(whole, 'keys'), sum(unit, 'keys'), sum(whole, 'docs'), sum(unit, 'docs')];
    // An index was read (a collection scan examines no keys) ...
    expect(unitKeys).to.be.greaterThan(0);
    expect(wholeDocs).to.be.greaterThan(0);
    // ... and HPI leads a fifth of the agreements: a fifth of what the whole period examines, with room, never the whole.
    expect(unitKeys / wholeKeys, `keys ${unitKeys} of ${wholeKeys}`).to.be.at.most(0.3);
    expect(unitDocs / wholeDocs, `docs ${unitDocs} of ${wholeDocs}`).to.be.at.most(0.3);
  });

  it('when a lead unit’s summary is asked, then it counts exactly that unit’s stage changes', async () => {
    expect(draftingStays(await summaryOf('&leadUnit=HPI'))).to.equal(8);
    expect(draftingStays(await summaryOf('&leadUnit=PWNI'))).to.equal(32);
    expect(draftingStays(await summaryOf(''))).to.equal(40);
    // the imported memoranda stood in drafting at every quarter's end before they moved today (an
    // import's stage date, not its import, says since when), as a summary ending that day says
    const hpi = await summaryOf('&leadUnit=HPI');
    for (const point of hpi.stagesOverTime.slice(0, -1)) {
      expect(point.byStage, point.at).to.deep.equal([{ stage: 'drafting', count: 8 }]);
      const then = (await request(t.app).get(`/api/reports/summary?from=${year}-01-01&to=${point.at}&leadUnit=HPI`).set(bearer(admin)).expect(200)).body as Summary;
      expect(then.byStage.map((x) => ({ stage: x.stage, count: x.count }))).to.deep.equal(point.byStage);
    }
  });

  it('when an agreement moves to another lead unit, then its earlier history counts in the new unit’s report and its chain still verifies', async () => {
    const moved = await t.ctx.models.Agreement.findOne({ code: 'LU-001' }).lean();
    await patchVia(t, admin, String(moved!._id), { leadUnit: 'HPI' });
    expect(draftingStays(await summaryOf('&leadUnit=HPI'))).to.equal(9);
    expect(draftingStays(await summaryOf('&leadUnit=PWNI'))).to.equal(31);
    expect(await verifyHistory(t.ctx, moved!._id)).to.include({ valid: true, events: 3 });
  });

  it('when events were stored before they carried the lead unit, then the start-up backfill gives them their agreement’s, once, and every chain still verifies', async () => {
    const { HistoryEvent, Counter } = t.ctx.models;
    await HistoryEvent.collection.updateMany({}, { $unset: { leadUnit: '' } });
    expect(draftingStays(await summaryOf('&leadUnit=HPI'))).to.equal(0);
    await Counter.deleteOne({ _id: HISTORY_LEAD_UNIT_MARKER });
    expect(await backfillHistoryLeadUnit(t.ctx)).to.equal(await HistoryEvent.countDocuments({}));
    expect(await backfillHistoryLeadUnit(t.ctx)).to.equal(0);
    expect(draftingStays(await summaryOf('&leadUnit=HPI'))).to.equal(9);
    for (const a of await t.ctx.models.Agreement.find({}, { _id: 1 }).lean()) expect((await verifyHistory(t.ctx, a._id)).valid).to.equal(true);
  });
});
