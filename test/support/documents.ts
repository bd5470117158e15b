import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from './app.js';
import { bearer } from './agreements.js';
import { textPdf } from './pdf-fixtures.js';

export const STORAGE_DRIVERS = ['disk', 'gridfs'] as const;
export type StorageDriver = (typeof STORAGE_DRIVERS)[number];

/** A test app with its own data folder (stored and temporary files) and the given file storage. */
export async function createDocumentsApp(
  label: string,
  storage: StorageDriver,
  env: Record<string, string> = {},
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `docs-${storage}-`)),
): Promise<TestApp & { dataDir: string }> {
  const t = await createTestApp({ label: `${label}_${storage}`, env: { FILE_STORAGE: storage, DATA_DIR: dataDir, ...env } });
  return {
    ...t,
    dataDir,
    async close() {
      await t.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface UploadOptions {
  kind?: string;
  language?: string;
  file?: Buffer;
  fileName?: string;
  contentType?: string;
  reopen?: boolean;
}

/** Each default upload is a file of its own: the same file twice in a row is refused (not a new version). */
let drafts = 0;

/** POST /api/agreements/:id/documents as a browser form would send it. */
export async function uploadVia(t: TestApp, token: string, agreementId: string, options: UploadOptions = {}) {
  const file = options.file ?? (await textPdf(2, { variant: `draft ${++drafts}` }));
  const req = request(t.app)
    .post(`/api/agreements/${agreementId}/documents`)
    .set(bearer(token))
    .field('kind', options.kind ?? 'final')
    .field('language', options.language ?? 'id');
  if (options.reopen !== undefined) req.field('reopen', String(options.reopen));
  return req.attach('file', file, { filename: options.fileName ?? 'naskah.pdf', contentType: options.contentType ?? 'application/pdf' });
}

/**
 * An upload whose file part carries the given Content-Disposition parameters verbatim (bytes as
 * written, UTF-8): for file names a form library would not send, e.g. an RFC 5987 filename*.
 */
export async function rawUploadVia(t: TestApp, token: string, agreementId: string, dispositionParams: string, options: { kind?: string; language?: string; file?: Buffer } = {}) {
  const boundary = `----raw${Date.now().toString(36)}`;
  const file = options.file ?? (await textPdf(1, { variant: `draft ${++drafts}` }));
  const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = Buffer.concat([
    Buffer.from(field('kind', options.kind ?? 'note') + field('language', options.language ?? 'id')),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; ${dispositionParams}\r\nContent-Type: application/pdf\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return request(t.app)
    .post(`/api/agreements/${agreementId}/documents`)
    .set(bearer(token))
    .set('Content-Type', `multipart/form-data; boundary=${boundary}`)
    .send(body);
}

/** Uploads a final text per language (what legal_review → text_agreed asks for). */
export async function uploadFinalTexts(t: TestApp, token: string, agreementId: string, languages: string[]): Promise<void> {
  for (const language of languages) {
    const res = await uploadVia(t, token, agreementId, { kind: 'final', language, file: await textPdf(2, { title: `Final ${language}` }) });
    if (res.status !== 201) throw new Error(`upload ${language} failed: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/** Uploads a final text for each authentic language of the agreement that has none yet. */
export async function uploadMissingFinalTexts(t: TestApp, token: string, agreementId: string): Promise<void> {
  const agreement = await request(t.app).get(`/api/agreements/${agreementId}`).set(bearer(token));
  const documents = await request(t.app).get(`/api/agreements/${agreementId}/documents`).set(bearer(token));
  if (agreement.status !== 200 || documents.status !== 200) throw new Error(`reading ${agreementId} failed: ${agreement.status} ${documents.status}`);
  const have = new Set(documents.body.items.filter((d: { kind: string }) => d.kind === 'final').map((d: { language: string }) => d.language));
  await uploadFinalTexts(t, token, agreementId, (agreement.body.authenticLanguages as string[]).filter((l) => !have.has(l)));
}

/** Uploads the scan of the signed text (what in_force asks for). */
export async function uploadSignedCopy(t: TestApp, token: string, agreementId: string, language = 'id') {
  const res = await uploadVia(t, token, agreementId, { kind: 'signed', language, file: await textPdf(2, { title: 'Signed copy' }), fileName: 'signed.pdf' });
  if (res.status !== 201) throw new Error(`signed copy upload failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Every stored file key, whichever driver holds it: what "nothing stored" is checked against. */
export async function storedKeys(t: TestApp): Promise<string[]> {
  const { files } = t.ctx.services.documents;
  const keys: string[] = [];
  for (const driver of ['disk', 'gridfs'] as const) {
    for (const prefix of ['documents', 'stamped']) {
      for await (const f of files.get(driver).list(prefix)) keys.push(f.key);
    }
  }
  return keys.sort();
}

export async function tempFiles(t: TestApp): Promise<string[]> {
  return t.ctx.services.documents.temp.list();
}

/** A supertest request buffered as bytes (PDF answers are not parsed). */
export function binary(req: request.Test): request.Test {
  return req.buffer(true).parse((res, cb) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => cb(null, Buffer.concat(chunks)));
  });
}
