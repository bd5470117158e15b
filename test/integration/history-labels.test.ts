import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { updateAgreementBody } from '../../server/routes/agreements.js';

const root = path.resolve('.');
const webModule = (file: string): Promise<any> => import(pathToFileURL(path.join(root, 'web', file)).href);

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/**
 * Every action the domain can write into an agreement's history: the string literals given as
 * `action` in the files that write history events (through appendHistoryEvent, a stage change's
 * eventsBefore, or directly as the import does). A new action anywhere in domain/ is found here.
 */
function recordedActions(): string[] {
  const writesHistory = /appendHistoryEvent\w*\(|eventsBefore|HistoryEvent\.collection\.insertMany|hashEvent\(/;
  const found = new Set<string>();
  for (const file of sourceFiles(path.join(root, 'domain'))) {
    const text = fs.readFileSync(file, 'utf8');
    if (!writesHistory.test(text)) continue;
    for (const m of text.matchAll(/\baction:\s*([^,}\n]+)/g)) {
      for (const literal of m[1]!.matchAll(/'([a-z_]+)'/g)) found.add(literal[1]!);
    }
  }
  return [...found].sort();
}

describe('web interface: the history speaks the reader’s language', () => {
  it('when the domain records any history action, then the agreement page has a label for it in Indonesian and in English', async () => {
    const actions = recordedActions();
    // the scan finds what the domain is known to record (so an empty scan cannot pass)
    expect(actions).to.include.members([
      'created', 'updated', 'transition', 'signature_recorded', 'party_declined', 'round_added', 'link_added', 'reopened', 'comment',
      'document_uploaded', 'document_downloaded', 'deadline_created', 'deadline_updated', 'reminders_paused', 'reminders_resumed', 'indices_set', 'imported',
    ]);
    const { DETAIL, t } = await webModule('i18n/detail.js');
    const missing = actions.flatMap((action) => (['id', 'en'] as const).filter((lang) => typeof DETAIL[lang][`action.${action}`] !== 'string').map((lang) => `${action} (${lang})`));
    expect(missing, 'actions without a label').to.deep.equal([]);
    // a label in the reader's language, never the code itself
    for (const action of actions) {
      for (const lang of ['id', 'en']) expect(t(`action.${action}`, {}, lang), `${action} (${lang})`).to.not.equal(action);
    }
    expect(t('action.indices_set', {}, 'id')).to.equal('Indeks kinerja ditetapkan');
    expect(t('action.indices_set', {}, 'en')).to.equal('Performance indices set');
  });

  it('when any field that an edit may change is recorded as changed, then the history names it in both languages', async () => {
    const fields = Object.keys(updateAgreementBody.describe().keys ?? {}).filter((f) => f !== 'version' && f !== 'remindersPaused');
    expect(fields).to.include.members(['title', 'parties', 'subjects', 'leadUnit', 'confidentiality', 'authenticLanguages', 'entryIntoForce', 'term']);
    const { DETAIL } = await webModule('i18n/detail.js');
    const missing = fields.flatMap((field) => (['id', 'en'] as const).filter((lang) => typeof DETAIL[lang][`changed.${field}`] !== 'string').map((lang) => `${field} (${lang})`));
    expect(missing, 'changed fields without a label').to.deep.equal([]);
    expect(DETAIL.id['changed.parties']).to.equal('Para pihak');
    expect(DETAIL.en['changed.parties']).to.equal('Parties');
  });
});
