import { STAGE_LABELS } from '../deadlines/labels.js';
import { COOPERATION_AGREEMENT, GUIDELINE, INSTRUMENT_TYPES, INTERNATIONAL, STAGES, tableFor } from '../../workflows/index.js';
import type { Bilingual, InstrumentType, Stage, StageTable, WorkflowSubject } from '../../workflows/index.js';

/**
 * How a register may name a stage and how the import and its template describe the stages.
 * A register kept by the directorate writes stages as the interface shows them ("Penyusunan
 * draf", "In force"), so those labels are read as the code they stand for.
 */

const SIDE_STATES: readonly Stage[] = ['on_hold', 'abandoned'];

/** Upper and lower case, spaces around and runs of spaces do not make a different stage. */
const key = (text: string) => text.trim().toLowerCase().replace(/\s+/g, ' ');

const ALIASES: ReadonlyMap<string, Stage> = new Map(
  STAGES.flatMap((stage) => [key(stage), key(STAGE_LABELS[stage].id), key(STAGE_LABELS[stage].en)].map((alias) => [alias, stage] as const)),
);

/** The stage a register's cell names, by its code or by its Indonesian or English label; undefined when none. */
export function stageFromRegister(text: string): Stage | undefined {
  return ALIASES.get(key(text));
}

/** The stages an agreement may stand at on its path: the main line, then the side states. */
export const stagesOfPath = (subject: WorkflowSubject): Stage[] => [...tableFor(subject).stages, ...SIDE_STATES];

/** "drafting (Penyusunan draf), negotiation (Perundingan), …" in one language. */
export function stageList(stages: readonly Stage[], lang: keyof Bilingual): string {
  return stages.map((s) => `${s} (${STAGE_LABELS[s][lang]})`).join(', ');
}

/** A stage's label in both languages, quoted as the interface quotes it. */
export function quotedStage(stage: Stage): Bilingual {
  return { id: `“${STAGE_LABELS[stage].id}”`, en: `“${STAGE_LABELS[stage].en}”` };
}

/**
 * For the template's guide: each path, the types that follow it, and a short name for the list of
 * stages. An MoU, agreement or technical arrangement between Indonesian institutions follows the
 * domestic path (tableFor decides by the parties), which the guide says in words.
 */
export const PATHS: ReadonlyArray<{ table: StageTable; short: Bilingual; name: Bilingual }> = [
  {
    table: INTERNATIONAL,
    short: { id: 'internasional', en: 'international' },
    name: {
      id: 'Internasional: mou, agreement dan technical_arrangement dengan pihak asing',
      en: 'International: mou, agreement and technical_arrangement with a foreign party',
    },
  },
  {
    table: COOPERATION_AGREEMENT,
    short: { id: 'dalam negeri', en: 'domestic' },
    name: {
      id: 'Dalam negeri: cooperation_agreement (PKS), serta mou, agreement dan technical_arrangement yang semua pihaknya Indonesia',
      en: 'Domestic: cooperation_agreement (PKS), and mou, agreement and technical_arrangement whose parties are all Indonesian',
    },
  },
  { table: GUIDELINE, short: { id: 'pedoman', en: 'guideline' }, name: { id: 'Pedoman: guideline', en: 'Guideline: guideline' } },
];

/** Which paths a stage belongs to, for the guide (the side states belong to all of them). */
export function pathsOfStage(stage: Stage): typeof PATHS {
  return SIDE_STATES.includes(stage) ? PATHS : PATHS.filter((p) => p.table.stages.includes(stage));
}

export const isInstrumentType = (type: string): type is InstrumentType => (INSTRUMENT_TYPES as readonly string[]).includes(type);

