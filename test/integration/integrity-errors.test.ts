/**
 * The one error map against every error body-parser, multer and Node's HTTP layer can raise: each
 * answers its status in the error shape, with a message in both languages, never a 500.
 */
import net from 'node:net';
import zlib from 'node:zlib';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import createError from 'http-errors';
import multer from 'multer';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { textPdf } from '../support/pdf-fixtures.js';
import { errorHandler } from '../../server/http/error-handler.js';
import { createHttpServer } from '../../server/http/http-server.js';
import { silentLogger } from '../../lib/logger.js';

/** Both languages: "English / Indonesia". */
const bilingual = (res: { body: { error: { message: string } } }) => expect(res.body.error.message).to.match(/\S \/ \S/);

describe('integrity: the error map', () => {
  let t: TestApp;
  let admin: string;
  let drafter: string;
  let server: http.Server;
  let port: number;

  before(async () => {
    t = await createTestApp({ label: 'integrity-errors', env: { BODY_LIMIT: '10kb' } });
    admin = (await loginAs(t, 'admin')).token;
    drafter = (await loginAs(t, 'drafter')).token;
    server = createHttpServer(t.app);
    server.headersTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
  });

  /**
   * Sends raw bytes and reads the whole answer (the server closes the connection after an error,
   * or after answering a request that says Connection: close). `hangUp` also ends the client's side.
   */
  function raw(bytes: string | Buffer, hangUp = false): Promise<{ status: number; headers: string; body: any }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      const chunks: Buffer[] = [];
      socket.on('data', (c) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [head, ...rest] = text.split('\r\n\r\n');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
        const bodyText = rest.join('\r\n\r\n');
        let body: unknown = null;
        try {
          body = JSON.parse(bodyText);
        } catch {
          body = bodyText;
        }
        resolve({ status, headers: head, body });
      });
      if (hangUp) socket.end(bytes);
      else socket.write(bytes);
    });
  }

  /** POST /api/auth/login with exactly these body bytes (supertest would turn a Buffer into JSON). */
  const login = async (body: Buffer, headers: Record<string, string>, contentType = 'application/json') => {
    const head = Object.entries({ 'Content-Type': contentType, ...headers }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const res = await raw(Buffer.concat([Buffer.from(`POST /api/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${head}Content-Length: ${body.length}\r\n\r\n`), body]));
    return { status: res.status, headers: { 'content-type': /content-type: ([^\r\n]+)/i.exec(res.headers)?.[1] }, body: res.body, text: JSON.stringify(res.body) } as unknown as request.Response;
  };
  const json = Buffer.from(JSON.stringify({ email: 'nobody@example.org', password: 'whatever-it-is' }));

  describe('body-parser', () => {
    for (const encoding of ['gzip', 'deflate', 'br']) {
      it(`when a body says content-encoding ${encoding} but is not, then 400 in the error shape`, async () => {
        const res = await login(json, { 'Content-Encoding': encoding });
        expectError(res, 400, 'bad_request');
        expect(res.body.error.message).to.match(/Content-Encoding/);
        bilingual(res);
      });
    }

    it('when a body is real gzip, then it is read as usual (401 for an unknown login, not an encoding error)', async () => {
      const res = await login(zlib.gzipSync(json), { 'Content-Encoding': 'gzip' });
      expectError(res, 401, 'unauthenticated');
    });

    it('when gzip inflates beyond BODY_LIMIT, then 413', async () => {
      const bomb = zlib.gzipSync(Buffer.from(JSON.stringify({ email: 'a@b.org', password: 'x'.repeat(200_000) })));
      expectError(await login(bomb, { 'Content-Encoding': 'gzip' }), 413, 'payload_too_large');
    });

    it('when the content-encoding is unknown, then 415', async () => {
      const res = await login(json, { 'Content-Encoding': 'compress' });
      expectError(res, 415, 'unsupported_media_type');
      bilingual(res);
    });

    it('when the charset is not a UTF, then 415', async () => {
      const res = await login(json, {}, 'application/json; charset=latin1');
      expectError(res, 415, 'unsupported_media_type');
      bilingual(res);
    });

    it('when the client stops sending before the body is complete (request.aborted), then 400 in the error shape, never 500', async () => {
      const res = await raw(`POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"email":`, true);
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('bad_request');
      bilingual(res);
    });

    it('when the request does not arrive within the request timeout, then 408 in the error shape', async () => {
      const slow = createHttpServer(t.app, { requestTimeout: 500, headersTimeout: 500, connectionsCheckingInterval: 100 });
      await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
      try {
        const res = await new Promise<string>((resolve, reject) => {
          const socket = net.connect((slow.address() as AddressInfo).port, '127.0.0.1');
          const chunks: Buffer[] = [];
          socket.on('data', (c) => chunks.push(c));
          socket.on('error', reject);
          socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
          socket.write('GET /api/me HTTP/1.1\r\nHost: x\r\n'); // the headers never end
        });
        expect(res).to.match(/^HTTP\/1\.1 408 /);
        expect(JSON.parse(res.split('\r\n\r\n')[1]).error.code).to.equal('request_timeout');
      } finally {
        slow.closeAllConnections();
        await new Promise((resolve) => slow.close(resolve));
      }
    });

    // Errors no live client can be shown (it is gone, or the app never raises them): the map still answers each.
    const thrown: Array<[string, number, string]> = [
      ['entity.too.large', 413, 'payload_too_large'],
      ['entity.parse.failed', 400, 'bad_request'],
      ['entity.verify.failed', 400, 'bad_request'],
      ['encoding.unsupported', 415, 'unsupported_media_type'],
      ['charset.unsupported', 415, 'unsupported_media_type'],
      ['request.aborted', 400, 'bad_request'],
      ['request.size.invalid', 400, 'bad_request'],
      ['parameters.too.many', 413, 'payload_too_large'],
      ['stream.encoding.set', 500, 'internal'],
      ['stream.not.readable', 500, 'internal'],
    ];
    for (const [type, status, code] of thrown) {
      it(`when body-parser raises ${type}, then ${status} ${code}`, async () => {
        const app = express();
        app.get('/x', () => {
          throw createError(status === 500 ? 500 : 400, 'raised', { type });
        });
        app.use(errorHandler(silentLogger));
        const res = await request(app).get('/x');
        expectError(res, status, code);
        if (status < 500) bilingual(res);
      });
    }
  });

  describe('multer', () => {
    let agreementId: string;
    before(async () => {
      agreementId = (await createAgreementVia(t, drafter)).id;
    });

    /** A multipart body with the given parts, raw. */
    function form(parts: Array<{ name?: string; value: string | Buffer; filename?: string }>) {
      const boundary = '----integrity';
      const body = Buffer.concat([
        ...parts.map((p) =>
          Buffer.concat([
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data${p.name !== undefined ? `; name="${p.name}"` : ''}${p.filename ? `; filename="${p.filename}"` : ''}\r\n` +
                (p.filename ? 'Content-Type: application/pdf\r\n' : '') +
                '\r\n',
            ),
            Buffer.from(p.value),
            Buffer.from('\r\n'),
          ]),
        ),
        Buffer.from(`--${boundary}--\r\n`),
      ]);
      return request(t.app).post(`/api/agreements/${agreementId}/documents`).set(bearer(drafter)).set('Content-Type', `multipart/form-data; boundary=${boundary}`).send(body);
    }

    // (LIMIT_PART_COUNT cannot come first here: the field and file limits are lower; it is in the table below)
    it('when multer refuses the form (unexpected file field, two files, too many fields, a long value or name), then each answers its own status, in both languages', async () => {
      const pdf = await textPdf(1);
      const cases: Array<[string, Parameters<typeof form>[0], number, string, string]> = [
        ['unexpected file field', [{ name: 'kind', value: 'note' }, { name: 'language', value: 'id' }, { name: 'document', value: pdf, filename: 'a.pdf' }], 400, 'bad_request', 'LIMIT_UNEXPECTED_FILE'],
        ['two files', [{ name: 'file', value: pdf, filename: 'a.pdf' }, { name: 'file', value: pdf, filename: 'b.pdf' }], 400, 'bad_request', 'LIMIT_FILE_COUNT'],
        ['nine fields', Array.from({ length: 9 }, (_, i) => ({ name: `f${i}`, value: 'x' })), 400, 'bad_request', 'LIMIT_FIELD_COUNT'],
        ['a long value', [{ name: 'reason', value: 'x'.repeat(5000) }], 413, 'payload_too_large', 'LIMIT_FIELD_VALUE'],
        ['a long field name', [{ name: 'n'.repeat(100), value: 'x' }], 400, 'bad_request', 'LIMIT_FIELD_KEY'],
      ];
      for (const [what, parts, status, code, reason] of cases) {
        const res = await form(parts);
        expect(res.status, `${what}: ${JSON.stringify(res.body)}`).to.equal(status);
        expectError(res, status, code);
        if (res.body.error.details?.reason) expect(res.body.error.details.reason, what).to.be.oneOf([reason, 'LIMIT_FIELD_COUNT', 'LIMIT_PART_COUNT']);
        bilingual(res);
      }
    });

    const codes = ['LIMIT_PART_COUNT', 'LIMIT_FILE_SIZE', 'LIMIT_FILE_COUNT', 'LIMIT_FIELD_KEY', 'LIMIT_FIELD_VALUE', 'LIMIT_FIELD_COUNT', 'LIMIT_UNEXPECTED_FILE', 'MISSING_FIELD_NAME', 'LIMIT_FIELD_NESTING', 'LIMIT_FIELD_ARRAY_INDEX', 'STREAM_DESTROYED', 'INVALID_FIELD_NAME'];
    for (const code of codes) {
      it(`when multer raises ${code}, then a 4xx in the error shape, in both languages`, async () => {
        const app = express();
        app.get('/x', () => {
          throw new multer.MulterError(code as multer.ErrorCode, 'file');
        });
        app.use(errorHandler(silentLogger));
        const res = await request(app).get('/x');
        expect(res.status).to.be.within(400, 499);
        expect(res.body.error.details.reason).to.equal(code);
        bilingual(res);
      });
    }
  });

  describe("Node's HTTP layer", () => {
    it('when the headers are larger than Node accepts, then 431 in the error shape', async () => {
      const res = await raw(`GET /api/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
      expect(res.status).to.equal(431);
      expect(res.body.error.code).to.equal('headers_too_large');
      bilingual(res);
    });

    it('when a header name is not a token, then 400 in the error shape', async () => {
      const res = await raw('GET /api/me HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n');
      expect(res.status).to.equal(400);
      expect(res.body.error).to.include({ code: 'bad_request' });
      bilingual(res);
    });

    it('when the chunked body is malformed, then 400 in the error shape', async () => {
      const res = await raw(`POST /api/auth/login HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`);
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('bad_request');
    });

    it('when the request line is garbage, then 400 in the error shape', async () => {
      const res = await raw('HELLO WORLD\r\n\r\n');
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('bad_request');
    });

    it('when a path segment is percent-encoded wrongly, then 400 in the error shape, not 500', async () => {
      const res = await request(t.app).get('/api/users/%E0%A4%A').set(bearer(admin));
      expect(res.status).to.be.oneOf([400, 404]);
      expect(res.body.error.code).to.be.oneOf(['bad_request', 'not_found']);
    });
  });
});
