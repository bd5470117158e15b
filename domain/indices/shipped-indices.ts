import type { DomainContext } from '../context.js';
import type { PerformanceIndexRecord } from '../../models/performance-index.js';

type ShippedIndex = Pick<PerformanceIndexRecord, '_id' | 'names' | 'fromYear' | 'position'>;

/** The three indices the directorate reports under in its 2022 performance report (shared/seed). */
export const SHIPPED_INDICES: readonly ShippedIndex[] = [
  {
    _id: 'information_systems',
    position: 1,
    fromYear: 2022,
    names: [
      {
        fromYear: 2022,
        id: 'Indeks Pemanfaatan dan Pengembangan Sistem Informasi Pelayanan dan Pelindungan Terpadu bagi WNI di Luar Negeri',
        en: 'Index of the Use and Development of the Integrated Information System for Serving and Protecting Indonesian Citizens Abroad',
      },
    ],
  },
  {
    _id: 'institutional_strengthening',
    position: 2,
    fromYear: 2022,
    names: [
      {
        fromYear: 2022,
        id: 'Indeks Penguatan Sistem Kelembagaan Pelayanan dan Pelindungan WNI di Luar Negeri',
        en: 'Index of Strengthening the Institutions for Serving and Protecting Indonesian Citizens Abroad',
      },
    ],
  },
  {
    _id: 'protection_diplomacy',
    position: 3,
    fromYear: 2022,
    names: [{ fromYear: 2022, id: 'Indeks Diplomasi Pelindungan WNI di Luar Negeri', en: 'Index of Diplomacy for the Protection of Indonesian Citizens Abroad' }],
  },
];

/**
 * Adds the shipped indices that are missing; never touches one that exists (an admin may have
 * renamed or retired it).
 */
export async function ensureShippedIndices(ctx: DomainContext): Promise<void> {
  const now = ctx.clock.now();
  await ctx.models.PerformanceIndex.bulkWrite(
    SHIPPED_INDICES.map((index) => ({
      updateOne: {
        filter: { _id: index._id },
        update: { $setOnInsert: { ...index, retiredFromYear: null, createdAt: now, updatedAt: now, version: 1 } },
        upsert: true,
      },
    })),
  );
}
