import { Router, type Response } from 'express';
import Joi from 'joi';
import multer from 'multer';
import { importRegister } from '../../domain/imports/import-register.js';
import { getImportJob, startImportJob } from '../../domain/imports/import-jobs.js';
import { registerTemplateCsv, registerTemplateXlsx } from '../../reports/register-template.js';
import { AppError } from '../../domain/errors.js';
import { listIndices } from '../../domain/indices/manage-indices.js';
import { HQ_TIMEZONE, localDate } from '../../workflows/business-days.js';
import { requireAuth, requirePermission } from '../http/auth.js';
import { readerLanguage, validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

/** `lang`: the language of the template's file name (its sheets speak both languages either way). */
const templateQuery = Joi.object({ lang: readerLanguage() });
const templateName = (lang: 'id' | 'en', ext: 'csv' | 'xlsx') => `${lang === 'id' ? 'templat-impor-perjanjian' : 'agreement-import-template'}.${ext}`;
const importQuery = Joi.object({ dryRun: Joi.boolean().truthy('1').falsy('0').default(true), async: Joi.boolean().truthy('1').falsy('0').default(false) });
/** Files above this size (about a thousand rows) run as a job to poll, so no request waits minutes. */
const JOB_ABOVE_BYTES = 256 * 1024;

/**
 * Reads the register for as long as its client is still there: one that uploads and hangs up
 * frees its reader's place (IMPORT_READERS) and memory at once, not when the read ends.
 */
async function readWhileAsked(ctx: AppContext, res: Response, file: { buffer: Buffer; name: string }) {
  const asker = new AbortController();
  // 'close' also comes after an answer was sent; only one that comes before means the client left
  const gone = () => {
    if (!res.writableFinished) asker.abort();
  };
  res.once('close', gone);
  // it may have left while the upload was being taken in, before anyone listened
  if (res.destroyed) asker.abort();
  try {
    return await ctx.services.registerReader.read(file, { signal: asker.signal });
  } finally {
    res.off('close', gone);
  }
}

/** Import of an existing register: the template, and the import itself (dry run by default). */
export function importsRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = requireAuth(ctx);
  const editors = [auth, requirePermission('editAgreement')];
  // The file is held in memory (IMPORT_MAX_BYTES bounds it, 413 above) and read in a worker thread.
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: ctx.config.imports.maxBytes, files: 1, fields: 5 } });

  router.get('/imports/template.csv', ...editors, validate({ query: templateQuery }), (req, res) => {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${templateName(req.valid.query.lang, 'csv')}"`);
    res.send(Buffer.from(registerTemplateCsv(), 'utf8'));
  });

  router.get('/imports/template.xlsx', ...editors, validate({ query: templateQuery }), async (req, res) => {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="${templateName(req.valid.query.lang, 'xlsx')}"`);
    // The guide lists the performance indices as they stand now, an admin's additions included.
    const indices = await listIndices(ctx);
    res.send(await registerTemplateXlsx(indices, Number(localDate(ctx.clock.now(), HQ_TIMEZONE).slice(0, 4))));
  });

  router.post('/imports', ...editors, upload.single('file'), validate({ query: importQuery }), async (req, res) => {
    const file = req.file;
    if (!file) throw new AppError('validation_failed', "Send the register as the multipart field 'file' / Kirim register sebagai kolom multipart 'file'", [{ field: 'file', message: 'Choose a CSV or XLSX file / Pilih berkas CSV atau XLSX' }]);
    const dryRun = req.valid.query.dryRun !== false && req.body?.dryRun !== 'false';
    const fileInput = { buffer: file.buffer, name: file.originalname };
    // Read (within its bounds) before a job is started, so a file that is not a register, has
    // unknown headers or too many rows is answered 422 here rather than as a failed job.
    const input = { file: fileInput, dryRun, register: await readWhileAsked(ctx, res, fileInput) };
    if (req.valid.query.async || file.size > JOB_ABOVE_BYTES) {
      const job = await startImportJob(ctx, req.actor, input);
      res.status(202).setHeader('Location', `/api/imports/jobs/${job._id}`);
      return void res.json({ jobId: job._id, status: job.status, poll: `/api/imports/jobs/${job._id}` });
    }
    const result = await importRegister(ctx, req.actor, input);
    res.status(dryRun ? 200 : 201).json(result);
  });

  router.get('/imports/jobs/:id', ...editors, validate({ params: Joi.object({ id: Joi.string().guid().required() }) }), async (req, res) => {
    res.json(await getImportJob(ctx, req.actor, req.valid.params.id));
  });

  return router;
}
