// The import of an existing register on the reports page: the templates, a check (dry run) that
// lists each problem by row and column, then the import, all as a job whose progress is shown.
import { ApiError, api, download, postFile } from '../api.js';
import { clear, h } from '../dom.js';
import { pick } from '../i18n.js';
import { t } from '../i18n/reports.js';
import { errorBox, section, table } from '../ui.js';
import { fileDropZone } from '../upload.js';

const POLL_MS = 500;

function problemsTable(problems) {
  return table({
    caption: t('import.problems', { n: problems.length }),
    hideCaption: false,
    head: [t('import.row'), t('import.column'), t('import.why')],
    rows: problems.map((p) => h('tr', null, h('td', { class: 'num' }, String(p.row)), h('td', null, h('code', null, p.column)), h('td', null, pick(p.message)))),
  });
}

export function importSection(view) {
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

  const run = async (dryRun) => {
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
        status.textContent = t('import.failed');
        const problems = job.error?.details?.problems;
        result.append(problems ? problemsTable(problems) : errorBox(new ApiError(422, job.error ?? {})));
        return;
      }
      const r = job.result;
      status.textContent = dryRun ? t('import.checked', { valid: r.valid, rows: r.rows, bad: r.problems.length }) : t('import.done', { n: r.valid });
      if (r.problems.length) result.append(problemsTable(r.problems));
    } catch (err) {
      status.textContent = '';
      result.append(errorBox(err));
    }
  };

  return section(
    t('import.title'),
    [
      h('p', { class: 'muted' }, t('import.intro')),
      h(
        'div',
        { class: 'report-downloads' },
        h('button', { type: 'button', class: 'button', id: 'import-template-xlsx', onclick: () => download('/api/imports/template.xlsx', 'templat.xlsx') }, t('import.templateXlsx')),
        h('button', { type: 'button', class: 'button', id: 'import-template-csv', onclick: () => download('/api/imports/template.csv', 'templat.csv') }, t('import.templateCsv')),
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
