import type { DomainContext } from '../context.js';
import { isDuplicateKey } from '../../lib/transaction.js';
import {
  borderCrossingDataPks,
  bpjsPortalPks,
  citizenshipDataPks,
  guideline,
  malaysiaMou,
  PROTKONS_DRAFTER,
  saudiTaLapsed,
  saudiTaRenewal,
  terrorismVictimsMou,
  traffickingPks,
} from './demo-agreements.js';
import { DemoScript } from './demo-script.js';
import { attributeDemoIndices } from './demo-indices.js';
import { ensureShippedIndices } from '../indices/shipped-indices.js';

/** Marks that the demo was loaded (seq 1) or is being loaded (seq 0): it is never loaded twice. */
export const DEMO_MARKER = 'demo-data:v1';

export type DemoLoadResult = { loaded: true; agreements: number } | { loaded: false; reason: 'already_loaded' | 'not_empty' };

/**
 * Loads the instruments of the 2022 report, each with its history, into an empty database.
 * Never twice (a marker is claimed first) and never over a user's data (any agreement present
 * means the database is someone's).
 */
export async function loadDemoData(ctx: DomainContext): Promise<DemoLoadResult> {
  const { Agreement, Counter } = ctx.models;
  if (await Counter.exists({ _id: DEMO_MARKER })) return { loaded: false, reason: 'already_loaded' };
  if (await Agreement.exists({})) return { loaded: false, reason: 'not_empty' };
  try {
    await Counter.create({ _id: DEMO_MARKER, seq: 0, at: ctx.clock.now() });
  } catch (err) {
    if (isDuplicateKey(err)) return { loaded: false, reason: 'already_loaded' };
    throw err;
  }
  await playStories(new DemoScript(ctx));
  // Ditjen Protkons's own agreements are written by its drafter: only an administrator places an agreement under another unit
  await citizenshipDataPks(new DemoScript(ctx, PROTKONS_DRAFTER));
  await borderCrossingDataPks(new DemoScript(ctx, PROTKONS_DRAFTER));
  await ensureShippedIndices(ctx);
  await attributeDemoIndices(ctx);
  await Counter.updateOne({ _id: DEMO_MARKER }, { $set: { seq: 1, at: ctx.clock.now() } });
  return { loaded: true, agreements: await Agreement.countDocuments({}) };
}

async function playStories(s: DemoScript): Promise<void> {
  await malaysiaMou(s);
  const lapsed = await saudiTaLapsed(s);
  await saudiTaRenewal(s, lapsed);
  await bpjsPortalPks(s);
  await traffickingPks(s);
  await terrorismVictimsMou(s);
  await guideline(
    s,
    'PED-ID-2022-01',
    { id: 'Pedoman Manajemen Pengelolaan Shelter', en: 'Guideline on Shelter Management' },
    ['shelter', 'pelindungan'],
    ['2022-02-07T03:00:00Z', '2022-06-13T03:00:00Z', '2022-10-24T03:00:00Z'],
  );
  await guideline(
    s,
    'PED-ID-2022-02',
    { id: 'Pedoman Penanganan Kasus Hukuman Mati', en: 'Guideline on Handling Death-Penalty Cases' },
    ['hukuman-mati', 'pendampingan-hukum'],
    ['2022-03-14T03:00:00Z', '2022-07-18T03:00:00Z', '2022-11-07T03:00:00Z'],
  );
}
