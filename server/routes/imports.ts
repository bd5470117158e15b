import { Router } from 'express';
import Joi from 'joi';
import multer from 'multer';
import { importRegister } from '../../domain/imports/import-register.js';
import { registerTemplateCsv, registerTemplateXlsx } from '../../reports/register-template.js';
import { AppError } from '../../domain/errors.js';
import { requireAuth, requireRole } from '../http/auth.js';
import { validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

/** A register of some thousands of rows is a few megabytes; more is not a register. */
const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

const importQuery = Joi.object({ dryRun: Joi.boolean().truthy('1').falsy('0').default(true) });

/** Import of an existing register: the template, and the import itself (dry run by default). */
export function importsRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = requireAuth(ctx);
  const editors = [auth, requireRole('admin', 'drafter')];
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
    const result = await importRegister(ctx, req.actor, { file: { buffer: file.buffer, name: file.originalname }, dryRun });
    res.status(dryRun ? 200 : 201).json(result);
  });

  return router;
}
