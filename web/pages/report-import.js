// The import of an existing register on the reports page: the templates, a check (dry run) that
// lists each problem by row and column, then the import, all as a job whose progress is shown.
import { ApiError, api, download, postFile, query } from '../api.js';
import { answer, clear, h } from '../dom.js';
import { getLang, pick } from '../i18n.js';
import { t } from '../i18n/reports.js';
import { errorBox, section, table } from '../ui.js';
import { fileDropZone } from '../upload.js';

const POLL_MS = 500;

/** Each problem by row and column; on a phone each reads as a card, its cells labelled (the messages are long). */
function problemsTable(problems) {
  const [row, column, why] = [t('import.row'), t('import.column'), t('import.why')];
  return table({
    caption: t('import.problems', { n: problems.length }),
    hideCaption: false,
    head: [row, column, why],
    rows: problems.map((p) =>
      h('tr', null, h('td', { class: 'num', dataset: { label: row } }, String(p.row)), h('td', { dataset: { label: column } }, h('code', null, p.column)), h('td', { dataset: { label: why } }, pick(p.message))),
    ),
    className: 'import-problems stack-on-phone',
  });
}

/** A template in the reader's language: the server names the file in it (its sheets speak both). */
function templateButton(format) {
  const lang = getLang();
  const name = `${lang === 'id' ? 'templat-impor-perjanjian' : 'agreement-import-template'}.${format}`;
  return h(
    'button',
    { type: 'button', class: 'button', id: `import-template-${format}`, onclick: () => download(`/api/imports/template.${format}${query({ lang })}`, name) },
    t(format === 'xlsx' ? 'import.templateXlsx' : 'import.templateCsv'),
  );
}

/** `onImported()`: called once agreements were created, so the page around can count them (its figures were read before). */
export function importSection(view, { onImported } = {}) {
  const bar = h('progress', { id: 'import-progress', max: '100', value: '0', hidden: true });
  const status = h('p', { id: 'import-status', role: 'status', class: 'reserve-line' });
  const result = h('div', { id: 'import-result' });
  const picker = fileDropZone({
    prefix: 'import',
    label: t('import.file'),
    accept: '.csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    texts: { drop: t('import.drop'), browse: t('import.browse'), none: t('import.noFile') },
    // what was said about the previous file (or about none) no longer holds
    onChoose: () => {
      bar.hidden = true;
      status.textContent = '';
      clear(result);
    },
  });

  /**
   * How a check or an import ended, in the status line and under it: answers (dom.js), so a
   * language switch says it again in the other language, though the file has to be chosen again.
   */
  const report = (said, draw) => {
    status.replaceChildren(answer(() => h('span', null, said())));
    clear(result).append(answer(() => h('div', null, draw())));
  };

  const run = async (dryRun) => {
    const failed = () => (dryRun ? t('import.checkFailed') : t('import.failed'));
    const file = picker.file();
    if (!file) {
      status.textContent = t('import.chooseFile');
      return;
    }
    clear(result);
    bar.hidden = false;
    bar.value = 0;
    status.textContent = t('import.started');
    try {
      const started = await postFile(`/api/imports?async=true&dryRun=${dryRun}`, file);
      let job = await api(started.poll);
      while (job.status === 'running') {
        if (!view.isCurrent()) return;
        bar.value = job.total ? Math.round((100 * job.processed) / job.total) : 0;
        status.textContent = t(`import.phase.${job.phase}`, { processed: job.processed, total: job.total });
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        job = await api(started.poll);
      }
      bar.value = 100;
      if (job.status === 'failed') {
        const problems = job.error?.details?.problems;
        bar.hidden = true;
        report(failed, () => (problems ? problemsTable(problems) : errorBox(new ApiError(422, job.error ?? {}))));
        return;
      }
      const r = job.result;
      report(
        () => (dryRun ? t('import.checked', { valid: r.valid, rows: r.rows, bad: r.problems.length }) : t('import.done', { n: r.valid })),
        () => [
          r.problems.length ? problemsTable(r.problems) : null,
          // what comes next: the agreements just created, on the board
          dryRun ? null : h('p', { id: 'import-next' }, h('a', { href: '#/agreements', class: 'button button-primary', id: 'import-to-board' }, t('import.toBoard'))),
        ],
      );
      if (!dryRun && r.valid > 0) onImported?.();
    } catch (err) {
      // a file refused before it was read leaves no empty bar behind, and says what did not happen
      bar.hidden = true;
      report(failed, () => errorBox(err));
    }
  };

  return section(
    t('import.title'),
    [
      h('p', { class: 'muted' }, t('import.intro')),
      h(
        'div',
        { class: 'report-downloads' },
        templateButton('xlsx'),
        templateButton('csv'),
      ),
      picker.element,
      h(
        'div',
        { class: 'form-actions' },
        h('button', { type: 'button', class: 'button', id: 'import-check', onclick: () => run(true) }, t('import.check')),
        h('button', { type: 'button', class: 'button button-primary', id: 'import-run', onclick: () => run(false) }, t('import.run')),
      ),
      bar,
      status,
      result,
    ],
    { id: 'report-import' },
  );
}
