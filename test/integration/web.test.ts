import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { findWebDir } from '../../server/routes/web.js';
import { INSTRUMENT_TYPES, STAGES } from '../../workflows/index.js';
import { COOPERATION_AGREEMENT, GUIDELINE, INTERNATIONAL, TABLES } from '../../workflows/tables.js';
import { STAGE_LABELS } from '../../domain/deadlines/labels.js';
import { NO_CHART_DATA, REPORT_WORDS } from '../../reports/tables.js';

const webDir = findWebDir()!;
/** The browser modules are plain JS: loaded as they are, untyped. */
const webModule = (file: string): Promise<any> => import(pathToFileURL(path.join(webDir, file)).href);

function webFiles(dir = webDir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? webFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('web interface: serving and consistency', () => {
  let t: TestApp;

  before(async () => {
    t = await createTestApp({ label: 'web_static' });
  });
  after(async () => {
    await t.close();
  });

  describe('serving', () => {
    it('when / is requested, then index.html comes with a strict Content-Security-Policy', async () => {
      const res = await request(t.app).get('/');
      expect(res.status).to.equal(200);
      expect(res.headers['content-type']).to.match(/^text\/html/);
      expect(res.text).to.contain('<script type="module" src="app.js"></script>');
      const csp = res.headers['content-security-policy'];
      expect(csp).to.contain("default-src 'self'");
      expect(csp).to.contain("script-src 'self'");
      expect(csp).to.contain("frame-ancestors 'none'");
      expect(csp).not.to.contain('unsafe-inline');
      expect(csp).not.to.contain('unsafe-eval');
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
    });

    it('when a module or the stylesheet is requested, then it is served with its type', async () => {
      const js = await request(t.app).get('/pages/board.js');
      expect(js.status).to.equal(200);
      expect(js.headers['content-type']).to.match(/^text\/javascript/);
      const css = await request(t.app).get('/styles.css');
      expect(css.status).to.equal(200);
      expect(css.headers['content-type']).to.match(/^text\/css/);
      const again = await request(t.app).get('/styles.css').set('If-None-Match', css.headers.etag);
      expect(again.status).to.equal(304);
    });

    it('when an unknown /api path is requested, then the answer is still the JSON 404', async () => {
      const res = await request(t.app).get('/api/no-such-thing');
      expect(res.status).to.equal(404);
      expect(res.headers['content-type']).to.match(/^application\/json/);
      expect(res.body.error.code).to.equal('not_found');
      expect(res.headers['content-security-policy']).to.equal(undefined);
    });

    it('when /api routes are called, then they answer as before (the web router never takes them)', async () => {
      const res = await request(t.app).get('/api/agreements');
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('unauthenticated');
      const spec = await request(t.app).get('/api/openapi.json');
      expect(spec.status).to.equal(200);
      expect(spec.headers['content-type']).to.match(/^application\/json/);
      expect(spec.headers['content-security-policy']).to.equal(undefined);
      expect(spec.body.paths).to.be.an('object');
      expect(spec.body.paths).to.have.property('/api/openapi.json');
    });

    it('when a missing file or a path outside web/ is requested, then it is a JSON 404 and nothing leaks', async () => {
      for (const url of ['/nope.js', '/..%2fpackage.json', '/%2e%2e/package.json', '/.env']) {
        const res = await request(t.app).get(url);
        expect(res.status, url).to.be.oneOf([400, 403, 404]);
        expect(res.text, url).not.to.contain('"devDependencies"');
      }
      const res = await request(t.app).get('/nope.js');
      expect(res.body.error.code).to.equal('not_found');
    });

    it('when a page file is posted to, then it is not served (only GET and HEAD)', async () => {
      const res = await request(t.app).post('/index.html').send({});
      expect(res.status).to.equal(404);
      expect(res.body.error.code).to.equal('not_found');
    });
  });

  describe('what the CSP relies on', () => {
    it('then no HTML file has inline scripts, inline styles or inline event handlers', () => {
      for (const file of webFiles().filter((f) => f.endsWith('.html'))) {
        const html = fs.readFileSync(file, 'utf8');
        for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag, file).to.match(/\bsrc=/);
        expect(html, file).not.to.match(/<style\b/);
        expect(html, file).not.to.match(/\sstyle=/);
        expect(html, file).not.to.match(/\son[a-z]+=/);
      }
    });

    it('then no script builds markup from strings (innerHTML, insertAdjacentHTML, document.write, eval)', () => {
      for (const file of webFiles().filter((f) => f.endsWith('.js'))) {
        const js = fs.readFileSync(file, 'utf8');
        expect(js, file).not.to.match(/\.innerHTML\b|\.outerHTML\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(/);
      }
    });
  });

  describe('what each page downloads', () => {
    /** A module's static imports, all the way down (paths relative to web/). */
    function closure(file: string, seen = new Set<string>()): Set<string> {
      if (seen.has(file)) return seen;
      seen.add(file);
      const js = fs.readFileSync(path.join(webDir, file), 'utf8');
      for (const m of js.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)';/gms)) closure(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)), seen);
      return seen;
    }
    const shell = () => closure('app.js');

    it('then index.html preloads exactly the shell: app.js and what it imports', () => {
      const html = fs.readFileSync(path.join(webDir, 'index.html'), 'utf8');
      const preloads = [...html.matchAll(/<link rel="modulepreload" href="([^"]+)">/g)].map((m) => m[1]);
      expect(preloads.sort()).to.deep.equal([...shell()].filter((f) => f !== 'app.js').sort());
    });

    it('then every page the shell loads on demand has its list in pages/page-modules.js, exactly what it imports beyond the shell', async () => {
      const { PAGE_MODULES } = await webModule('pages/page-modules.js');
      const routed = ['app.js', 'pages/role-pages.js'].flatMap((file) => [...fs.readFileSync(path.join(webDir, file), 'utf8').matchAll(/module: '([^']+)'/g)].map((m) => m[1]!));
      expect(routed.length).to.be.greaterThan(8);
      expect(Object.keys(PAGE_MODULES).sort()).to.deep.equal([...new Set(routed)].sort());
      const loaded = shell();
      for (const [page, list] of Object.entries(PAGE_MODULES as Record<string, string[]>)) {
        const needs = [...closure(page)].filter((f) => f !== page && !loaded.has(f));
        expect([...list].sort(), `PAGE_MODULES['${page}'] in web/pages/page-modules.js`).to.deep.equal(needs.sort());
      }
    });
  });

  describe('labels and stages', () => {
    /** The texts files (web/i18n/*.js), each with its dictionary and the `has` of its lookup. */
    async function textFiles(): Promise<Array<{ file: string; dictionary: Record<string, Record<string, unknown>>; has: (key: string) => boolean }>> {
      const files = fs.readdirSync(path.join(webDir, 'i18n')).filter((f) => f.endsWith('.js'));
      return Promise.all(
        files.map(async (f) => {
          const mod = await webModule(`i18n/${f}`);
          const name = Object.keys(mod).find((k) => /^[A-Z]+$/.test(k) && mod[k]?.id && mod[k]?.en);
          expect(name, `web/i18n/${f} exports its dictionary`).to.be.a('string');
          return { file: f, dictionary: mod[name!], has: mod.has };
        }),
      );
    }

    it('then in every texts file both languages have exactly the same keys, and every text is non-empty', async () => {
      for (const { file, dictionary } of await textFiles()) {
        expect(Object.keys(dictionary.en).sort(), file).to.deep.equal(Object.keys(dictionary.id).sort());
        for (const lang of ['id', 'en']) {
          for (const [key, value] of Object.entries(dictionary[lang])) {
            const text = typeof value === 'function' ? value({ n: 2, stage: 'x', date: 'x', from: 1, to: 2, total: 3, name: 'x', party: 'x', reason: 'x', seq: 1, hash: 'x', fields: 'x', unread: 1, place: 'x' }) : value;
            expect(text, `${file} ${lang} ${key}`).to.be.a('string').and.not.equal('');
          }
        }
      }
    });

    it('then each key is written in one texts file only, so there is one place to look it up', async () => {
      const where = new Map<string, string>();
      for (const { file, dictionary } of await textFiles()) {
        for (const key of Object.keys(dictionary.id)) {
          expect(where.get(key), `${key} in ${file}`).to.equal(undefined);
          where.set(key, file);
        }
      }
    });

    it('then every key a script asks for is found, in both languages, by the lookup that script imports', async () => {
      const texts = new Map((await textFiles()).map((x) => [x.file, x]));
      const allKeys = [...texts.values()].flatMap((x) => Object.keys(x.dictionary.id));
      const scripts = webFiles().filter((f) => f.endsWith('.js') && !f.includes(`${path.sep}i18n${path.sep}`) && path.basename(f) !== 'i18n.js');
      let checked = 0;
      for (const file of scripts) {
        const js = fs.readFileSync(file, 'utf8');
        const literal = [...js.matchAll(/\b(?:t|tOr)\(\s*'([^']+)'/g)].map((m) => m[1]);
        const prefixes = [...js.matchAll(/\b(?:t|tOr)\(\s*`([^`$]*)\$\{/g)].map((m) => m[1]);
        if (literal.length === 0 && prefixes.length === 0) continue;
        const from = js.match(/import \{[^}]*\b(?:t|tOr)\b[^}]*\} from '(?:\.\.?\/)+i18n\/([\w-]+\.js)'/);
        expect(from, `${file} imports t from its texts file in web/i18n/`).to.not.equal(null);
        const lookup = texts.get(from![1])!;
        for (const key of literal) expect(lookup.has(key), `${path.relative(webDir, file)} asks for '${key}', missing from i18n/${from![1]} and what it reads`).to.equal(true);
        for (const prefix of prefixes) expect(allKeys.some((k) => k.startsWith(prefix) && lookup.has(k)), `${path.relative(webDir, file)}: no key starts with '${prefix}'`).to.equal(true);
        checked += literal.length;
      }
      expect(checked).to.be.greaterThan(500);
    });

    it('then every stage and type has a label, and stage names are the ones the e-mails use', async () => {
      const { t } = await webModule('i18n/common.js');
      for (const stage of STAGES) {
        expect(t(`stage.${stage}`, {}, 'id')).to.equal(STAGE_LABELS[stage].id);
        expect(t(`stage.${stage}`, {}, 'en')).to.equal(STAGE_LABELS[stage].en);
      }
      for (const type of INSTRUMENT_TYPES) {
        expect(t(`type.${type}`, {}, 'id')).not.to.equal(`type.${type}`);
        expect(t(`type.${type}`, {}, 'en')).not.to.equal(`type.${type}`);
      }
    });

    it('then the reports page names the table of figures, its columns and the charts in the words the downloaded report files print', async () => {
      // the page said "Tabel angka" above the table the PDF, DOCX and Markdown head "Tabel Angka"
      const { t } = await webModule('i18n/reports.js');
      for (const lang of ['id', 'en'] as const) {
        const words = REPORT_WORDS[lang];
        expect(t('reports.figures', {}, lang), lang).to.equal(words.figures);
        expect([t('reports.item', {}, lang), t('reports.number', {}, lang), t('reports.agreements', {}, lang)], lang).to.deep.equal([...words.figuresHeader]);
        expect(t('reports.charts', {}, lang), lang).to.equal(words.charts);
        expect(t('reports.noChartData', {}, lang), lang).to.equal(NO_CHART_DATA[lang]);
      }
      expect(REPORT_WORDS.id.figures, 'a heading in sentence case, as the page writes its headings').to.equal('Tabel angka');
    });

    it('then the register check counts its rows in English whose verb agrees with what it counts', async () => {
      const { t } = await webModule('i18n/reports.js');
      const said = (valid: number, rows: number) => t('import.checked', { valid, rows, bad: rows - valid }, 'en');
      expect(said(0, 1)).to.equal('0 of 1 row is ready to import; 1 problem found.');
      expect(said(1, 1)).to.equal('1 of 1 row is ready to import; 0 problems found.');
      expect(said(0, 2)).to.equal('0 of 2 rows are ready to import; 2 problems found.');
      expect(said(1, 2)).to.equal('1 of 2 rows is ready to import; 1 problem found.');
      expect(said(2, 2)).to.equal('2 of 2 rows are ready to import; 0 problems found.');
    });

    it('then the timeline paths are the stage tables without their endings', async () => {
      const wf = await webModule('workflow.js');
      expect(wf.STAGES).to.deep.equal([...STAGES]);
      expect(wf.TYPES).to.deep.equal([...INSTRUMENT_TYPES]);
      for (const type of INSTRUMENT_TYPES) {
        const expected = TABLES[type].stages.filter((s) => !wf.ENDINGS.includes(s));
        expect(wf.PATHS[type], type).to.deep.equal(expected);
        // timeline() draws an ending as "the whole path done": true only if it is entered from in_force alone and never left.
        for (const ending of wf.ENDINGS.filter((s: string) => (TABLES[type].stages as readonly string[]).includes(s))) {
          const into = TABLES[type].transitions.filter((r) => r.to === ending).map((r) => r.from);
          expect(into, `${type} → ${ending}`).to.deep.equal(['in_force']);
          expect(TABLES[type].transitions.filter((r) => r.from === ending), `${type} ${ending} →`).to.deep.equal([]);
        }
      }
      // where a refusal to sign or a text change sends an agreement back, by the path the API names
      expect(wf.REOPEN_STAGE).to.deep.equal({ international: INTERNATIONAL.reopenStage, domestic: COOPERATION_AGREEMENT.reopenStage, guideline: GUIDELINE.reopenStage });
      // every ending the timeline knows is one in some table
      expect(wf.ENDINGS.every((s: string) => INSTRUMENT_TYPES.some((type) => (TABLES[type].stages as readonly string[]).includes(s)))).to.equal(true);
    });

    it('then an API message "English / Indonesian" splits into its two languages, paths left whole', async () => {
      const { splitBilingual } = await webModule('i18n.js');
      expect(splitBilingual('Invalid e-mail or password / E-mail atau kata sandi salah')).to.deep.equal({
        en: 'Invalid e-mail or password',
        id: 'E-mail atau kata sandi salah',
      });
      expect(splitBilingual('No route for GET /api/x / Rute tidak ditemukan')).to.deep.equal({ en: 'No route for GET /api/x', id: 'Rute tidak ditemukan' });
      expect(splitBilingual('[Pengingat] A / [Reminder] B', 'id')).to.deep.equal({ id: '[Pengingat] A', en: '[Reminder] B' });
      expect(splitBilingual('Unexpected error')).to.deep.equal({ en: 'Unexpected error', id: 'Unexpected error' });
    });

    it('then the timeline marks done, skipped, current and left stages', async () => {
      const { timeline } = await webModule('workflow.js');
      const states = (items: Array<{ stage: string; state: string }>) => items.map((i) => `${i.stage}:${i.state}`);
      expect(states(timeline('guideline', 'legal_review'))).to.deep.equal(['drafting:done', 'legal_review:current', 'awaiting_signature:todo', 'in_force:todo']);
      expect(states(timeline('guideline', 'on_hold', 'legal_review'))).to.deep.equal([
        'drafting:done',
        'legal_review:left',
        'awaiting_signature:todo',
        'in_force:todo',
        'on_hold:current',
      ]);
      expect(states(timeline('guideline', 'terminated'))).to.deep.equal(['drafting:done', 'legal_review:done', 'awaiting_signature:done', 'in_force:done', 'terminated:current']);
      // an MoU in force on signature never waited for ratification
      const mou = timeline('mou', 'in_force', null, ['drafting', 'negotiation', 'legal_review', 'text_agreed', 'awaiting_signature', 'signed', 'in_force']);
      expect(states(mou)).to.deep.equal([
        'drafting:done',
        'interagency_consultation:skipped',
        'negotiation:done',
        'legal_review:done',
        'text_agreed:done',
        'awaiting_signature:done',
        'partially_signed:skipped',
        'signed:done',
        'pending_ratification:skipped',
        'in_force:current',
      ]);
    });
  });
});
