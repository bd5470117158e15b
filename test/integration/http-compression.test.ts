/**
 * Answers cross slow links compressed: every text answer in gzip or brotli when the browser asks
 * for it, byte-identical once decoded; PDFs and event streams untouched. Requests go over a real
 * socket (node:http) so the test sees the bytes on the wire, not a client's decoded view.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { expect } from 'chai';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { createAgreementVia } from '../support/agreements.js';
import { uploadVia } from '../support/documents.js';

interface WireAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  raw: Buffer;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<WireAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, raw: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function decode(answer: WireAnswer): Buffer {
  switch (answer.headers['content-encoding']) {
    case 'br':
      return zlib.brotliDecompressSync(answer.raw);
    case 'gzip':
      return zlib.gunzipSync(answer.raw);
    default:
      return answer.raw;
  }
}

describe('HTTP compression and caching headers', () => {
  let t: TestApp;
  let server: http.Server;
  let port: number;
  let token: string;
  let agreementId: string;

  before(async () => {
    t = await createTestApp({ label: 'compression' });
    ({ token } = await loginAs(t, 'drafter'));
    // enough rows that the list is well over the compression threshold
    for (let i = 0; i < 12; i++) {
      const created = await createAgreementVia(t, token, { title: { id: `Nota Kesepahaman tentang Pelindungan Pekerja Migran ${i}`, en: `Memorandum of Understanding on Migrant Worker Protection ${i}` } });
      agreementId = created.id;
    }
    server = t.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    if (server) await new Promise((r) => server.close(r));
    await t?.close();
  });

  it('when the browser accepts brotli, then the page, its script and its styles come brotli-compressed and decode to the same bytes', async () => {
    for (const path of ['/', '/app.js', '/styles.css']) {
      const plain = await get(port, path);
      const br = await get(port, path, { 'accept-encoding': 'br, gzip' });
      expect(plain.status, path).to.equal(200);
      expect(plain.headers['content-encoding'], path).to.equal(undefined);
      expect(br.headers['content-encoding'], path).to.equal('br');
      expect(br.headers.vary, path).to.match(/accept-encoding/i);
      expect(br.raw.length, path).to.be.lessThan(plain.raw.length);
      expect(decode(br).equals(plain.raw), path).to.equal(true);
    }
  });

  it('when an API list is asked for with gzip, then it arrives gzip-compressed, at most a third of its size, and parses to the same rows', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const plain = await get(port, '/api/agreements?limit=50', auth);
    const gz = await get(port, '/api/agreements?limit=50', { ...auth, 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(gz.raw.length).to.be.lessThan(plain.raw.length / 3);
    const rows = JSON.parse(decode(gz).toString('utf8'));
    expect(rows.items).to.have.length(12);
    expect(rows).to.deep.equal(JSON.parse(plain.raw.toString('utf8')));
  });

  it('when the OpenAPI document is fetched with gzip, then it is compressed', async () => {
    const gz = await get(port, '/api/openapi.json', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(JSON.parse(decode(gz).toString('utf8')).openapi).to.match(/^3\.1/);
  });

  it('when a PDF is downloaded, then its bytes are sent as stored, never re-encoded', async () => {
    const up = await uploadVia(t, token, agreementId, { kind: 'draft' });
    expect(up.status).to.equal(201);
    const file = await get(port, `/api/documents/${up.body.id}/file`, { authorization: `Bearer ${token}`, 'accept-encoding': 'br, gzip' });
    expect(file.status).to.equal(200);
    expect(file.headers['content-type']).to.match(/application\/pdf/);
    expect(file.headers['content-encoding']).to.equal(undefined);
    expect(file.raw.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
  });

  it('when an API answer is asked for again with its ETag, then it is 304 with no body, and it may be kept only privately', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const first = await get(port, `/api/agreements/${agreementId}`, auth);
    expect(first.status).to.equal(200);
    expect(first.headers['cache-control']).to.equal('private, no-cache');
    const again = await get(port, `/api/agreements/${agreementId}`, { ...auth, 'if-none-match': String(first.headers.etag) });
    expect(again.status).to.equal(304);
    expect(again.raw.length).to.equal(0);
  });

  it('when a static file is fetched, then it must be revalidated and carries a validator', async () => {
    const res = await get(port, '/app.js');
    expect(res.headers['cache-control']).to.equal('no-cache');
    expect(res.headers.etag).to.be.a('string');
    const again = await get(port, '/app.js', { 'if-none-match': String(res.headers.etag) });
    expect(again.status).to.equal(304);
  });
});
