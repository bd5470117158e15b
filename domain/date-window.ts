/**
 * The one window for every date that enters (deadlines, signatures, entry into force, terms,
 * holidays, negotiation rounds): nothing of this ministry's records predates 1945, and a date past
 * 2200 is a typing error. The edge refuses dates outside it (422 naming the field); code that meets
 * one anyway (a legacy row) treats it as a date it cannot render rather than guessing.
 */
export const DATE_WINDOW = { from: '1945-01-01', to: '2200-12-31' } as const;
export const WINDOW_FROM = new Date(`${DATE_WINDOW.from}T00:00:00.000Z`);
export const WINDOW_TO = new Date(`${DATE_WINDOW.to}T23:59:59.999Z`);

export function inDateWindow(at: unknown): at is Date {
  return at instanceof Date && at.getTime() >= WINDOW_FROM.getTime() && at.getTime() <= WINDOW_TO.getTime();
}
