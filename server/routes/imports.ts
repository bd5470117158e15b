import { Router } from 'express';
import Joi from 'joi';
import multer from 'multer';
import { importRegister } from '../../domain/imports/import-register.js';
import { getImportJob, startImportJob } from '../../domain/imports/import-jobs.js';
import { registerTemplateCsv, registerTemplateXlsx } from '../../reports/register-template.js';
import { AppError } from '../../domain/errors.js';
import { requireAuth, requirePermission } from '../http/auth.js';
import { validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

/** A register of some thousands of rows is a few megabytes; more is not a register. */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const importQuery = Joi.object({ dryRun: Joi.boolean().truthy('1').falsy('0').default(true), async: Joi.boolean().truthy('1').falsy('0').default(false) });
/** Files above this size (about a thousand rows) run as a job to poll, so no request waits minutes. */
const JOB_ABOVE_BYTES = 256 * 1024;

/** Import of an existing register: the template, and the import itself (dry run by default). */
export function importsRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = requireAuth(ctx);
  const editors = [auth, requirePermission('editAgreement')];
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: MAX_IMPORT_BYTES, files: 1, fields: 5 } });

  router.get('/imports/template.csv', ...editors, (_req, res) => {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="templat-impor-perjanjian.csv"');
    res.send(Buffer.from(registerTemplateCsv(), 'utf8'));
  });

  router.get('/imports/template.xlsx', ...editors, async (_req, res) => {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', 'attachment; filename="templat-impor-perjanjian.xlsx"');
    res.send(await registerTemplateXlsx());
  });

  router.post('/imports', ...editors, upload.single('file'), validate({ query: importQuery }), async (req, res) => {
    const file = req.file;
    if (!file) throw new AppError('validation_failed', "Send the register as the multipart field 'file' / Kirim register sebagai kolom multipart 'file'", [{ field: 'file', message: 'required' }]);
    const dryRun = req.valid.query.dryRun !== false && req.body?.dryRun !== 'false';
    const input = { file: { buffer: file.buffer, name: file.originalname }, dryRun };
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
