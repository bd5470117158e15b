import type { AgreementRecord } from '../../models/agreement.js';
import { slaDays, type InstrumentType, type Stage } from '../../workflows/index.js';
import { SHIPPED_CALENDAR, slaDueAt, type BusinessCalendar } from '../../workflows/business-days.js';

/**
 * When the stage should be left: its service-level days counted as working days (17:00 Jakarta,
 * the same rule as the stage_due deadline); null when it has none (side and terminal states).
 * Pass the calendar with the admin's holidays (loadBusinessCalendar) so both agree.
 */
export function stageDueAt(type: InstrumentType, stage: Stage, enteredAt: Date, calendar: BusinessCalendar = SHIPPED_CALENDAR): Date | null {
  const days = slaDays(type, stage);
  return days === undefined ? null : slaDueAt(enteredAt, days, calendar);
}

type Searchable = Pick<AgreementRecord, 'code' | 'title' | 'parties' | 'confidentiality' | 'leadUnit'>;

/**
 * Fields kept only for queries: lower-cased text for free-text search (regex; `$text` is not
 * available on the embedded server), exact party keys, and who may see a confidential agreement.
 */
export function derivedFields(a: Searchable) {
  const names = a.parties.map((p) => p.name);
  return {
    searchText: [a.code, a.title.id, a.title.en, ...names].join(' \u0001 ').toLowerCase(),
    partyKeys: [...new Set([...names, ...a.parties.map((p) => p.country ?? '')].filter(Boolean).map((s) => s.toLowerCase()))],
    audience: a.confidentiality === 'confidential' ? a.leadUnit : '*',
  };
}
