import { Router } from 'express';
import Joi from 'joi';
import { INSTRUMENT_TYPES } from '../../workflows/index.js';
import { withStoredSpellings } from '../../domain/agreements/stored-spelling.js';
import { createIndex, listIndices, reorderIndices, updateIndex } from '../../domain/indices/manage-indices.js';
import { setAgreementIndices } from '../../domain/indices/set-agreement-indices.js';
import { summarizePeriod } from '../../domain/reports/summarize-period.js';
import { buildAnnualReport, buildPeriodReport, type PeriodReport } from '../../domain/reports/annual-report.js';
import { annualReportMarkdown } from '../../reports/markdown.js';
import { annualReportPdfContent, renderPdf, summaryPdfContent } from '../../reports/pdf.js';
import { annualReportDocx } from '../../reports/docx.js';
import { reportCsv, reportXlsx } from '../../reports/spreadsheets.js';
import { chartSvg } from '../../reports/charts.js';
import type { Response } from 'express';
import { toAgreementView } from '../../domain/agreements/agreement-view.js';
import { withLinksAsSeenBy } from '../../domain/agreements/agreement-links.js';
import { requireAuth, requirePermission } from '../http/auth.js';
import { calendarDay, line, objectId, readerLanguage, validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

const date = calendarDay();
const indexCode = Joi.string().trim().pattern(/^[a-z0-9_]{2,60}$/).messages({ 'string.pattern.base': '{{#label}} must be 2 to 60 lower-case letters, digits or _' });
const year = Joi.number().integer().min(1945).max(2100);
const bilingualName = Joi.object({ id: line(300).required(), en: line(300).required() });

export const reportFilters = {
  index: indexCode,
  type: Joi.string().valid(...INSTRUMENT_TYPES),
  leadUnit: Joi.string().trim().max(60),
};

const lang = readerLanguage();
const summaryQuery = Joi.object({ from: date.required(), to: date.required(), ...reportFilters, format: Joi.string().valid('json', 'csv', 'xlsx', 'pdf').default('json'), lang });
const annualQuery = Joi.object({ year: Joi.number().integer().min(1945).max(2100).required(), format: Joi.string().valid('md', 'pdf', 'docx', 'csv', 'xlsx').default('pdf'), lang });

const CONTENT_TYPES = {
  md: 'text/markdown; charset=utf-8',
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

function sendFile(res: Response, format: keyof typeof CONTENT_TYPES, name: string, body: Buffer | string): void {
  res.setHeader('Content-Type', CONTENT_TYPES[format]);
  res.setHeader('Content-Disposition', `attachment; filename="${name}.${format}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.send(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
}

const createIndexBody = Joi.object({ code: indexCode.required(), name: bilingualName.required(), fromYear: year.required(), position: Joi.number().integer().min(0).max(1000) });
const updateIndexBody = Joi.object({
  version: Joi.number().integer().min(1).required(),
  rename: Joi.object({ fromYear: year.required(), id: line(300).required(), en: line(300).required() }),
  retiredFromYear: year.allow(null),
  position: Joi.number().integer().min(0).max(1000),
})
  .or('rename', 'retiredFromYear', 'position')
  .messages({ 'object.missing': 'give at least one of rename, retiredFromYear, position' });
const indexOrderBody = Joi.object({ codes: Joi.array().items(indexCode).min(1).max(200).unique().required() });
const agreementIndicesBody = Joi.object({ indices: Joi.array().items(indexCode).max(20).required(), version: Joi.number().integer().min(1) });

/** Performance indices, the attribution of agreements to them, and the period summary. */
export function reportsRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = requireAuth(ctx);

  router.get('/indices', auth, async (_req, res) => {
    res.json({ items: await listIndices(ctx) });
  });

  router.post('/indices', auth, requirePermission('administer'), validate({ body: createIndexBody }), async (req, res) => {
    res.status(201).json(await createIndex(ctx, req.valid.body));
  });

  // before /indices/:code, though that one answers PATCH only: 'order' reads as the list's order, never as a code
  router.put('/indices/order', auth, requirePermission('administer'), validate({ body: indexOrderBody }), async (req, res) => {
    res.json({ items: await reorderIndices(ctx, req.valid.body.codes) });
  });

  router.patch('/indices/:code', auth, requirePermission('administer'), validate({ params: Joi.object({ code: indexCode.required() }), body: updateIndexBody }), async (req, res) => {
    res.json(await updateIndex(ctx, req.valid.params.code, req.valid.body));
  });

  router.put('/agreements/:id/indices', auth, requirePermission('editAgreement'), validate({ params: Joi.object({ id: objectId().required() }), body: agreementIndicesBody }), async (req, res) => {
    const updated = await setAgreementIndices(ctx, { id: req.valid.params.id, actor: req.actor, indices: req.valid.body.indices, expectedVersion: req.valid.body.version });
    const { agreement, linkedFrom } = await withLinksAsSeenBy(ctx, req.actor, updated);
    res.json(toAgreementView(agreement, linkedFrom));
  });

  router.get('/reports/summary', auth, validate({ query: summaryQuery }), async (req, res) => {
    const { format, lang: language, ...typed } = req.valid.query;
    const filter = await withStoredSpellings(ctx, req.actor, typed);
    if (format === 'json') return void res.json(await summarizePeriod(ctx, req.actor, filter as never));
    const report = await buildPeriodReport(ctx, req.actor, filter as never, language);
    const name = `${language === 'id' ? 'ringkasan-perjanjian' : 'agreements-summary'}-${filter.from}-${filter.to}`;
    if (format === 'csv') return sendFile(res, 'csv', name, reportCsv(report));
    if (format === 'xlsx') return sendFile(res, 'xlsx', name, await reportXlsx(report));
    sendFile(res, 'pdf', name, await renderPdf(summaryPdfContent(report)));
  });

  router.get('/reports/annual', auth, validate({ query: annualQuery }), async (req, res) => {
    const { year, format, lang: language } = req.valid.query;
    const report = await buildAnnualReport(ctx, req.actor, { year, lang: language });
    const name = `${language === 'id' ? 'laporan-perjanjian' : 'agreements-report'}-${year}`;
    if (format === 'md') return sendFile(res, 'md', name, annualReportMarkdown(report));
    if (format === 'docx') return sendFile(res, 'docx', name, await annualReportDocx(report));
    if (format === 'csv') return sendFile(res, 'csv', name, reportCsv(report));
    if (format === 'xlsx') return sendFile(res, 'xlsx', name, await reportXlsx(report));
    sendFile(res, 'pdf', name, await renderPdf(annualReportPdfContent(report)));
  });

  // What the reports page shows: the annual report's sentences, and any period's figures with
  // its charts drawn on the server (the same SVG as in the files), each with its data.
  // The year's figures come with its sentences, from the same summary: the page for a whole year
  // without filters (the one people open) asks the database once, not once for each.
  router.get('/reports/annual.json', auth, validate({ query: annualQuery.fork(['format'], (f) => f.strip()) }), async (req, res) => {
    const { year, lang } = req.valid.query;
    const report = await buildAnnualReport(ctx, req.actor, { year, lang });
    const figures = await buildPeriodReport(ctx, req.actor, { from: `${year}-01-01`, to: `${year}-12-31` }, lang, report.summary);
    res.json({ year: report.year, lang: report.lang, title: report.title, intro: report.intro, sections: report.sections, linkBase: report.linkBase, figures: figuresJson(figures) });
  });

  router.get('/reports/figures', auth, validate({ query: summaryQuery.fork(['format'], (f) => f.strip()) }), async (req, res) => {
    const { lang: language, ...typed } = req.valid.query;
    const filter = await withStoredSpellings(ctx, req.actor, typed);
    res.json(figuresJson(await buildPeriodReport(ctx, req.actor, filter as never, language)));
  });

  return router;
}

/** A period's figures and charts as the reports page draws them (each chart's SVG made here, as in the files). */
function figuresJson(report: PeriodReport) {
  return { title: report.title, figures: report.figures, charts: report.charts.map((c) => ({ ...c, svg: chartSvg(c) })), period: report.summary.period, filters: report.summary.filters };
}
