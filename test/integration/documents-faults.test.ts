import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import request from 'supertest';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { createDocumentsApp, STORAGE_DRIVERS, storedKeys, tempFiles, uploadVia } from '../support/documents.js';
import * as fixtures from '../support/pdf-fixtures.js';

/**
 * Descriptors this process holds on files under a folder. Counting every descriptor would also
 * count the database connections, which the driver opens as the 50 requests pile up (and, with
 * the embedded server in this process, their server ends too): not what is being checked.
 */
const openFilesUnder = (dir: string) =>
  fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith(`${fs.realpathSync(dir)}${path.sep}`);
    } catch {
      return false;
    }
  });
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const storage of STORAGE_DRIVERS) {
  describe(`documents API (${storage}): faults between file and record`, function () {
    this.timeout(90_000);
    let t: Awaited<ReturnType<typeof createDocumentsApp>>;
    let drafter: string;
    let agreementId: string;

    before(async () => {
      t = await createDocumentsApp('docs_faults', storage);
      drafter = (await loginAs(t, 'drafter')).token;
      agreementId = (await createAgreementVia(t, drafter)).id;
    });
    after(async () => t.close());

    it('when the database refuses the record after the file is stored, then the file is removed and no record or history event remains', async () => {
      const before = await storedKeys(t);
      const Document = t.ctx.models.Document;
      const original = Document.create.bind(Document);
      // the first insert fails as a lost connection would; everything else is untouched
      (Document as any).create = async () => {
        (Document as any).create = original;
        const err = new Error('connection reset by peer');
        err.name = 'MongoNetworkError';
        throw err;
      };
      const res = await uploadVia(t, drafter, agreementId, { kind: 'draft', language: 'id' });
      (Document as any).create = original;
      expect(res.status).to.equal(503);
      expect(res.body.error.code).to.equal('unavailable');
      expect(await storedKeys(t)).to.deep.equal(before);
      expect(await Document.countDocuments({ agreementId })).to.equal(0);
      const history = await request(t.app).get(`/api/agreements/${agreementId}/history`).set(bearer(drafter));
      expect(history.body.items.filter((e: any) => e.action === 'document_uploaded')).to.have.length(0);
      expect(await tempFiles(t)).to.deep.equal([]);
    });

    it('when storing the file fails, then no record is written and the temporary file is gone', async () => {
      const store = t.ctx.services.documents.files.primary;
      const original = store.putFile.bind(store);
      (store as any).putFile = async (_key: string, local: string) => {
        await fs.promises.rm(local, { force: true });
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      };
      try {
        const res = await uploadVia(t, drafter, agreementId, { kind: 'annex', language: 'id' });
        expect(res.status).to.equal(500);
        expect(res.body.error.message).to.equal('Internal server error / Kesalahan server internal');
      } finally {
        (store as any).putFile = original;
      }
      expect(await t.ctx.models.Document.countDocuments({ agreementId, kind: 'annex' })).to.equal(0);
      expect(await tempFiles(t)).to.deep.equal([]);
    });

    it('when 50 uploads are aborted half-way, then no temporary file and no open file handle is left', async () => {
      const server = http.createServer(t.app);
      // the client is done when its socket closes; the server may not even have reached the
      // upload by then (auth and the agreement lookup come first): wait until it has seen all 50 go
      let serverSideClosed = 0;
      server.on('request', (req: http.IncomingMessage) => req.once('close', () => serverSideClosed++));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      const body = Buffer.concat([await fixtures.textPdf(1), Buffer.alloc(256 * 1024, 0x20)]);
      const boundary = 'xAbortedUploadx';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ndraft\r\n--${boundary}\r\nContent-Disposition: form-data; name="language"\r\n\r\nid\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
      );
      const total = head.length + body.length + boundary.length + 8;
      try {
        await Promise.all(
          Array.from({ length: 50 }, () =>
            new Promise<void>((resolve) => {
              const req = http.request({
                host: '127.0.0.1',
                port,
                method: 'POST',
                path: `/api/agreements/${agreementId}/documents`,
                headers: { ...bearer(drafter), 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': String(total) },
              });
              req.on('error', () => resolve());
              req.on('response', (res) => {
                res.resume();
                resolve();
              });
              req.write(head);
              req.write(body.subarray(0, body.length / 2), () => setTimeout(() => req.destroy(), 20));
              req.on('close', () => resolve());
            }),
          ),
        );
        for (let i = 0; i < 100 && serverSideClosed < 50; i++) await settle(100);
        expect(serverSideClosed).to.equal(50);
        // then give it the time to finish cleaning up after the hang-ups
        for (let i = 0; i < 50 && (await tempFiles(t)).length > 0; i++) await settle(100);
        expect(await tempFiles(t)).to.deep.equal([]);
        expect(await t.ctx.models.Document.countDocuments({ agreementId, kind: 'draft' })).to.equal(0);
        await settle(200);
        expect(openFilesUnder(t.dataDir)).to.deep.equal([]);
      } finally {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      }
    });

    it('when a stored file is altered behind the service\'s back, then verification reports it', async () => {
      const up = await uploadVia(t, drafter, agreementId, { kind: 'minutes', language: 'id' });
      const ok = await request(t.app).get(`/api/documents/${up.body.id}/verify`).set(bearer(drafter));
      expect(ok.body).to.deep.include({ intact: true, present: true });
      expect(ok.body.sha256).to.deep.equal({ recorded: up.body.sha256, actual: up.body.sha256 });
      const record = await t.ctx.models.Document.findById(up.body.id).lean();
      if (storage === 'disk') {
        const file = path.join(t.dataDir, 'files', ...record!.storage.key.split('/'));
        const bytes = fs.readFileSync(file);
        bytes[bytes.length - 10] ^= 0xff;
        fs.writeFileSync(file, bytes);
      } else {
        const db = t.ctx.connection.db!;
        const f = await db.collection('fs.files').findOne({ filename: record!.storage.key });
        const chunk = await db.collection('fs.chunks').findOne({ files_id: f!._id, n: 0 });
        const data = Buffer.from((chunk!.data as any).buffer);
        data[20] ^= 0xff;
        await db.collection('fs.chunks').updateOne({ _id: chunk!._id }, { $set: { data } });
      }
      const bad = await request(t.app).get(`/api/documents/${up.body.id}/verify`).set(bearer(drafter));
      expect(bad.status).to.equal(200);
      expect(bad.body.intact).to.equal(false);
      expect(bad.body.sha256.recorded).to.equal(up.body.sha256);
      expect(bad.body.sha256.actual).to.match(/^[0-9a-f]{64}$/).and.not.equal(up.body.sha256);
    });
  });
}

describe('documents: start-up', () => {
  it('when the service starts over a data folder with leftover temporary files, then they are removed', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-restart-'));
    fs.mkdirSync(path.join(dataDir, 'tmp'));
    fs.writeFileSync(path.join(dataDir, 'tmp', '999999-abc.part'), '%PDF-1.7 half written');
    fs.writeFileSync(path.join(dataDir, 'tmp', `${process.pid}-def.part`), '%PDF-1.7 half written');
    const t = await createDocumentsApp('docs_restart', 'disk', {}, dataDir);
    try {
      expect(await tempFiles(t)).to.deep.equal([]);
    } finally {
      await t.close();
    }
  });
});
