import { Router, type Request, type RequestHandler } from 'express';
import Joi from 'joi';
import multer from 'multer';
import { AppError } from '../../domain/errors.js';
import { buildSigningPacket } from '../../domain/documents/build-signing-packet.js';
import { toDocumentView } from '../../domain/documents/document-view.js';
import { getDocumentFile } from '../../domain/documents/get-document-file.js';
import { getStampedCopy } from '../../domain/documents/get-stamped-copy.js';
import { getVisibleDocument } from '../../domain/documents/get-visible-document.js';
import { listDocuments } from '../../domain/documents/list-documents.js';
import { listSignatures } from '../../domain/documents/list-signatures.js';
import { prepareUpload, uploadDocument } from '../../domain/documents/upload-document.js';
import { verifyDocument } from '../../domain/documents/verify-document.js';
import type { AgreementRecord } from '../../models/agreement.js';
import { DOCUMENT_KINDS } from '../../models/document.js';
import { pdfIntakeEngine, type IntakeFile } from '../http/pdf-intake.js';
import { requireAuth } from '../http/auth.js';
import { joiDetails } from '../http/error-handler.js';
import { sendFile } from '../http/file-response.js';
import { calendarDay, isoDate, line, paragraph, objectId, readerLanguage, validate } from '../http/validate.js';
import { hasLineControls } from '../../domain/text-rules.js';
import { checkString, checkTextTree, textError, type TextProblem } from '../http/text-input.js';
import type { AppContext } from '../context.js';

export const uploadFields = Joi.object({
  kind: Joi.string()
    .valid(...DOCUMENT_KINDS)
    .required(),
  language: Joi.string().trim().lowercase().pattern(/^[a-z]{2,3}$/).required(),
  reopen: Joi.boolean().truthy('1', 'yes', 'on').falsy('0', 'no', 'off').sensitive(false).default(false),
  reason: paragraph(2000).allow(''),
  // A full-powers letter (kind full_powers): the party it empowers, its issuer, its date.
  partyId: objectId(),
  issuedBy: line(300),
  issuedAt: isoDate(),
});

// the language a download's file name is given in ("… berstempel" / "… stamped")
const lang = readerLanguage();

export const packetQuery = Joi.object({
  place: line(200),
  // a calendar date as typed (joi's isoDate() would turn it into a timestamp at midnight UTC)
  date: calendarDay(),
  lang,
});
const stampedQuery = Joi.object({ lang });

const idParams = Joi.object({ id: objectId().required() });

/**
 * The multipart fields and the file name pass the same text check as JSON bodies (multer parses
 * them inside this route, after the edge middleware): well-formed, NFC, and a file name without
 * control characters. The name is still cut to its base name and cleaned by the upload itself.
 */
function checkUploadText(body: unknown, file: Express.Multer.File): Record<string, unknown> {
  const problems: TextProblem[] = [];
  // busboy turns bytes that are not UTF-8 into U+FFFD; in a form field that can only mean such bytes
  const fields = checkTextTree({ ...((body as Record<string, unknown>) ?? {}) }, problems, true) as Record<string, unknown>;
  const name = checkString(file.originalname ?? '', 'file', problems, true);
  if (problems.length) throw textError(problems);
  if (hasLineControls(name)) {
    throw new AppError('validation_failed', 'The file name contains control characters / Nama berkas berisi karakter kendali', [
      { field: 'file', message: "the file name must not contain control characters / nama berkas tidak boleh berisi karakter kendali", type: 'string.pattern.invert.name' },
    ]);
  }
  file.originalname = name;
  return fields;
}

/** "50 MB" / "50 MB" (decimal separators as each language writes them: "1.5 MB" / "1,5 MB"). */
function sizeInWords(bytes: number): { en: string; id: string } {
  const mb = Math.round((bytes / 1_048_576) * 10) / 10;
  return { en: `${mb} MB`, id: `${String(mb).replace('.', ',')} MB` };
}

/**
 * Documents: upload (multipart), listing, download with ranges, verification, stamped copies
 * and the signing packet.
 */

export function documentsRouter(ctx: AppContext): Router {
  const router = Router();
  const auth = requireAuth(ctx);
  const { temp } = ctx.services.documents;

  const upload = multer({
    storage: pdfIntakeEngine(temp),
    // browsers send file names as raw UTF-8; busboy's default (latin1) would garble "–" or "é"
    defParamCharset: 'utf8',
    limits: {
      fileSize: ctx.config.uploads.maxBytes,
      files: 1,
      fields: 8,
      fieldSize: 4096,
      fieldNameSize: 64,
      parts: 10,
      headerPairs: 50,
    },
  }).single('file');

  /** multer, with a client that hangs up answered 400 (a refused file reaches the error handler as it is: 422). */
  const receiveFile: RequestHandler = (req, res, next) => {
    if (!req.is('multipart/form-data')) {
      return next(new AppError('unsupported_media_type', "Send the file as multipart/form-data in the field 'file' / Kirim berkas sebagai multipart/form-data pada kolom 'file'"));
    }
    // a client that hung up while auth and the agreement lookup ran: multer would wait forever
    // for a body that cannot come (the 'close' it listens for has already been emitted)
    if (req.destroyed || req.socket?.destroyed) return next(new AppError('bad_request', 'The upload was interrupted / Unggahan terputus'));
    upload(req, res, (err?: unknown) => {
      if (!err) return next();
      const message = String((err as Error)?.message ?? '');
      if (/^Request (aborted|closed)$/.test(message)) {
        return next(new AppError('bad_request', 'The upload was interrupted / Unggahan terputus'));
      }
      if ((err as { code?: string }).code === 'LIMIT_FILE_SIZE') {
        // the person needs the limit to know what to do (compress, or split the annexes)
        const limit = sizeInWords(ctx.config.uploads.maxBytes);
        return next(new AppError('payload_too_large', `The file is larger than the upload limit of ${limit.en} / Berkas melebihi batas unggah ${limit.id}`, { limitBytes: ctx.config.uploads.maxBytes }));
      }
      next(err);
    });
  };

  /** The role and the agreement are checked before a single byte of the file is read. */
  const agreementVisible: RequestHandler = async (req, res, next) => {
    try {
      res.locals.agreement = await prepareUpload(ctx, req.actor, req.valid.params.id);
      next();
    } catch (err) {
      next(err);
    }
  };

  router.post('/agreements/:id/documents', auth, validate({ params: idParams }), agreementVisible, receiveFile, async (req, res) => {
    const file = req.file as (Express.Multer.File & IntakeFile) | undefined;
    try {
      if (!file) {
        throw new AppError('validation_failed', "A PDF file is required in the field 'file' / Berkas PDF wajib dikirim pada kolom 'file'", [
          { field: 'file', message: "'file' is required / 'file' wajib diisi", type: 'any.required' },
        ]);
      }
      const fields = checkUploadText(req.body, file);
      const { value, error } = uploadFields.validate(fields, { abortEarly: false, convert: true });
      if (error) throw new AppError('validation_failed', 'Invalid upload fields / Kolom unggahan tidak valid', joiDetails(error.details));
      const created = await uploadDocument(ctx, {
        actor: req.actor,
        agreement: res.locals.agreement as AgreementRecord,
        kind: value.kind,
        language: value.language,
        reopen: value.reopen,
        reason: value.reason,
        fullPowers: value.partyId || value.issuedBy || value.issuedAt ? { partyId: value.partyId, issuedBy: value.issuedBy, issuedAt: value.issuedAt } : undefined,
        file: { path: file.path, size: file.size, sha256: file.sha256, originalName: file.originalname },
      });
      res.location(`/api/documents/${created.id}`);
      res.status(201).json(created);
    } finally {
      // uploadDocument consumes the file; this covers the refusals before it is called
      if (file) await temp.remove(file.path);
    }
  });

  router.get('/agreements/:id/documents', auth, validate({ params: idParams }), async (req, res) => {
    const items = await listDocuments(ctx, req.actor, req.valid.params.id);
    res.json({ items, total: items.length });
  });

  router.get('/agreements/:id/signing-packet', auth, validate({ params: idParams, query: packetQuery }), async (req, res) => {
    const { place, date, lang } = req.valid.query;
    await sendFile(req, res, await buildSigningPacket(ctx, req.actor, req.valid.params.id, { place, date, lang }));
  });

  router.get('/documents/:id', auth, validate({ params: idParams }), async (req, res) => {
    const { document } = await getVisibleDocument(ctx, req.actor, req.valid.params.id);
    res.setHeader('ETag', `"${document.sha256}"`);
    res.json(toDocumentView(document));
  });

  router.get('/documents/:id/file', auth, validate({ params: idParams }), async (req: Request, res) => {
    await sendFile(req, res, await getDocumentFile(ctx, req.actor, req.valid.params.id));
  });

  router.get('/documents/:id/stamped', auth, validate({ params: idParams, query: stampedQuery }), async (req, res) => {
    await sendFile(req, res, await getStampedCopy(ctx, req.actor, req.valid.params.id, req.valid.query.lang));
  });

  router.get('/documents/:id/signatures', auth, validate({ params: idParams }), async (req, res) => {
    res.json(await listSignatures(ctx, req.actor, req.valid.params.id));
  });

  router.get('/documents/:id/verify', auth, validate({ params: idParams }), async (req, res) => {
    res.json(await verifyDocument(ctx, req.actor, req.valid.params.id));
  });

  return router;
}
