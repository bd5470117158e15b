import { Router } from 'express';
import Joi from 'joi';
import { INSTRUMENT_TYPES } from '../../workflows/index.js';
import { createIndex, listIndices, updateIndex } from '../../domain/indices/manage-indices.js';
import { setAgreementIndices } from '../../domain/indices/set-agreement-indices.js';
import { summarizePeriod } from '../../domain/reports/summarize-period.js';
import { toAgreementView } from '../../domain/agreements/agreement-view.js';
import { listIncomingLinks } from '../../domain/agreements/list-incoming-links.js';
import { requireAuth, requirePermission } from '../http/auth.js';
import { objectId, validate } from '../http/validate.js';
import type { AppContext } from '../context.js';

const date = Joi.string().pattern(/^\d{4}-\d{2}-\d{2}$/).messages({ 'string.pattern.base': '{{#label}} must be a date YYYY-MM-DD' });
const indexCode = Joi.string().trim().pattern(/^[a-z0-9_]{2,60}$/).messages({ 'string.pattern.base': '{{#label}} must be 2 to 60 lower-case letters, digits or _' });
const year = Joi.number().integer().min(1945).max(2100);
const bilingualName = Joi.object({ id: Joi.string().trim().min(1).max(300).required(), en: Joi.string().trim().min(1).max(300).required() });

export const reportFilters = {
  index: indexCode,
  type: Joi.string().valid(...INSTRUMENT_TYPES),
  leadUnit: Joi.string().trim().max(60),
};

const summaryQuery = Joi.object({ from: date.required(), to: date.required(), ...reportFilters });

const createIndexBody = Joi.object({ code: indexCode.required(), name: bilingualName.required(), fromYear: year.required(), position: Joi.number().integer().min(0).max(1000) });
const updateIndexBody = Joi.object({
  version: Joi.number().integer().min(1).required(),
  rename: Joi.object({ fromYear: year.required(), id: Joi.string().trim().min(1).max(300).required(), en: Joi.string().trim().min(1).max(300).required() }),
  retiredFromYear: year.allow(null),
  position: Joi.number().integer().min(0).max(1000),
})
  .or('rename', 'retiredFromYear', 'position')
  .messages({ 'object.missing': 'give at least one of rename, retiredFromYear, position' });
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

  router.patch('/indices/:code', auth, requirePermission('administer'), validate({ params: Joi.object({ code: indexCode.required() }), body: updateIndexBody }), async (req, res) => {
    res.json(await updateIndex(ctx, req.valid.params.code, req.valid.body));
  });

  router.put('/agreements/:id/indices', auth, requirePermission('editAgreement'), validate({ params: Joi.object({ id: objectId().required() }), body: agreementIndicesBody }), async (req, res) => {
    const updated = await setAgreementIndices(ctx, { id: req.valid.params.id, actor: req.actor, indices: req.valid.body.indices, expectedVersion: req.valid.body.version });
    res.json(toAgreementView(updated, await listIncomingLinks(ctx, req.actor, updated)));
  });

  router.get('/reports/summary', auth, validate({ query: summaryQuery }), async (req, res) => {
    res.json(await summarizePeriod(ctx, req.actor, req.valid.query as never));
  });

  return router;
}
