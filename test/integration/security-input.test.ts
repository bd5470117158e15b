/**
 * What the edge does with bad input, unknown routes and failures: the error body shape,
 * validation naming each field, size and syntax limits, no internals in any answer, and the
 * health endpoints.
 */
import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { MongoWriteConcernError } from 'mongodb';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { errorHandler } from '../../server/http/error-handler.js';
import { silentLogger } from '../../lib/logger.js';
import { closeContext } from '../../server/context.js';


describe('security: input at the edge', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp({ label: 'sec-input', env: { BODY_LIMIT: '100kb' } });
    admin = (await loginAs(t, 'admin')).token;
  });
  after(async () => t?.close());

  const post = (path: string) => request(t.app).post(path).set(bearer(admin));

  it('when a new user has several bad fields, then 422 names each of them and no user is stored', async () => {
    const before = await t.ctx.models.User.countDocuments();
    const res = await post('/api/users').send({ email: 'not-an-email', name: '', password: 'short', role: 'emperor', unit: 42 });
    expectError(res, 422, 'validation_failed');
    const fields = res.body.error.details.map((d: any) => d.field).sort();
    expect(fields).to.deep.equal(['email', 'name', 'password', 'role', 'unit']);
    expect(await t.ctx.models.User.countDocuments()).to.equal(before);
  });

  it('when fields are wrong in the ways Joi itself explains, then each detail says what is wrong in English and in Indonesian', async () => {
    const res = await post('/api/users').send({ email: 'not-an-email', name: '', password: 'short', role: 'emperor', unit: 42, isAdmin: true });
    expectError(res, 422, 'validation_failed');
    const said = Object.fromEntries(res.body.error.details.map((d: any) => [d.field, d.message]));
    expect(said.role).to.match(/^'role' must be one of \[.*admin.*\] \/ 'role' harus salah satu dari \[.*admin.*\]$/);
    expect(said.unit).to.equal("'unit' must be a string / 'unit' harus berupa teks");
    expect(said.isAdmin).to.equal("'isAdmin' is not allowed / 'isAdmin' tidak diizinkan");
    expect(said.email).to.match(/ \/ 'email' harus berupa alamat e-mail yang benar$/);
    // every message, the schemas' own bilingual ones included, has its two halves once
    for (const message of Object.values(said) as string[]) expect(message.split(' / '), message).to.have.length(2);
    const year = await request(t.app).get('/api/reports/annual?year=99999&format=md').set(bearer(admin));
    expectError(year, 422, 'validation_failed');
    expect(year.body.error.details[0].message).to.equal("'year' must be less than or equal to 2100 / 'year' harus kurang dari atau sama dengan 2100");
  });

  it('when required fields are missing, then 422 lists every missing one', async () => {
    const res = await post('/api/users').send({});
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details.map((d: any) => d.field).sort()).to.deep.equal(['email', 'name', 'password', 'role']);
    // the headline speaks to the person at the form, not of "request bodies"
    expect(res.body.error.message).to.equal('Some of what was entered is not valid: see each field below / Ada isian yang tidak valid: lihat tiap kolom di bawah');
  });

  it('when the body carries unknown fields (passwordHash, _id, isAdmin), then 422 names them and nothing is stored', async () => {
    const res = await post('/api/users').send({
      email: 'unknown-fields@example.org',
      name: 'U',
      password: 'long-enough-pw',
      role: 'drafter',
      passwordHash: 'scrypt$1$1$1$x$y',
      _id: '000000000000000000000001',
      isAdmin: true,
    });
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details.map((d: any) => d.field).sort()).to.deep.equal(['_id', 'isAdmin', 'passwordHash']);
    expect(await t.ctx.models.User.exists({ email: 'unknown-fields@example.org' })).to.equal(null);
  });

  it('when a PATCH tries operator keys or an empty change, then 422 and the user is unchanged', async () => {
    const created = await post('/api/users').send({ email: 'patch-me@example.org', name: 'P', password: 'long-enough-pw', role: 'drafter' });
    const id = created.body.id;
    const a = await request(t.app).patch(`/api/users/${id}`).set(bearer(admin)).send({ $set: { role: 'admin' } });
    expectError(a, 422, 'validation_failed');
    expect(a.body.error.details[0].field).to.equal('$set');
    const b = await request(t.app).patch(`/api/users/${id}`).set(bearer(admin)).send({ role: { $ne: 'x' } });
    expectError(b, 422, 'validation_failed');
    expect(b.body.error.details[0].field).to.equal('role');
    const c = await request(t.app).patch(`/api/users/${id}`).set(bearer(admin)).send({});
    expectError(c, 422, 'validation_failed');
    expect((await t.ctx.models.User.findById(id).lean())!.role).to.equal('drafter');
  });

  it('when the body is larger than BODY_LIMIT, then 413 (not 400) with the limit', async () => {
    const res = await post('/api/users').send({ email: 'big@example.org', name: 'x'.repeat(200_000), password: 'long-enough-pw', role: 'drafter' });
    expectError(res, 413, 'payload_too_large');
  });

  it('when the login body is larger than the limit, then 413 before any password is hashed', async () => {
    const res = await request(t.app).post('/api/auth/login').send({ email: 'a@b.org', password: 'p'.repeat(200_000) });
    expectError(res, 413, 'payload_too_large');
  });

  it('when the JSON is malformed, then 400 bad_request', async () => {
    const res = await request(t.app).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email": "a@b.org", "password": ');
    expectError(res, 400, 'bad_request');
  });

  it('when the route does not exist, then 404 with the error body naming the route', async () => {
    const res = await request(t.app).get('/api/no-such-thing');
    expectError(res, 404, 'not_found');
    expect(res.body.error.message).to.include('/api/no-such-thing');
    const outside = await request(t.app).delete('/nowhere');
    expectError(outside, 404, 'not_found');
  });

  it('when a user id is malformed or unknown, then 404 and the same answer for both', async () => {
    const auth = bearer(admin);
    const malformed = await request(t.app).get('/api/users/12345').set(auth);
    const unknown = await request(t.app).get('/api/users/0123456789abcdef01234567').set(auth);
    expectError(malformed, 404, 'not_found');
    expectError(unknown, 404, 'not_found');
    const injected = await request(t.app).get('/api/users/%7B%22%24ne%22%3A1%7D').set(auth);
    expectError(injected, 404, 'not_found');
  });

  it('when a query key is repeated or carries an operator, then 400 or 422 and never a widened list', async () => {
    const auth = bearer(admin);
    const repeated = await request(t.app).get('/api/users?role=admin&role=drafter').set(auth);
    expectError(repeated, 400, 'bad_request');
    const op = await request(t.app).get('/api/users?role[$ne]=x').set(auth);
    expectError(op, 422, 'validation_failed');
    expect(op.body.error.details[0].field).to.equal('role[$ne]');
  });

  it('when a handler throws an unexpected error, then 500 hides it and the client sees no stack', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error('secret internal detail at /work/main/server/x.ts:12');
    });
    app.use(errorHandler(silentLogger));
    const res = await request(app).get('/boom');
    expectError(res, 500, 'internal');
    expect(res.text).not.to.include('secret internal detail');
  });

  it('when a majority of the replica set does not confirm a write in time, then 503 unavailable, not 500 internal', async () => {
    const app = express();
    app.get('/slow', () => {
      throw new MongoWriteConcernError({ writeConcernError: { code: 64, errmsg: 'waiting for replication timed out', errInfo: {} }, ok: 1 } as any);
    });
    app.use(errorHandler(silentLogger));
    const res = await request(app).get('/slow');
    expectError(res, 503, 'unavailable');
    expect(res.body.error.message).not.to.include('replication');
  });

  it('when security headers are checked on any answer, then nosniff, no-referrer and DENY are set and Express is not advertised', async () => {
    const res = await request(t.app).get('/api/me');
    expect(res.headers['x-content-type-options']).to.equal('nosniff');
    expect(res.headers['referrer-policy']).to.equal('no-referrer');
    expect(res.headers['x-frame-options']).to.equal('DENY');
    expect(res.headers).not.to.have.property('x-powered-by');
    // served over plain http (this test app), there is no https to insist on
    expect(res.headers).not.to.have.property('strict-transport-security');
  });

  it('when the service is published at an https address, then every answer tells browsers to use https only (HSTS)', async () => {
    const published = await createTestApp({ label: 'sec-hsts', env: { PUBLIC_URL: 'https://perjanjian.kemlu.example' } });
    try {
      for (const url of ['/api/me', '/', '/healthz']) {
        const res = await request(published.app).get(url);
        expect(res.headers['strict-transport-security'], url).to.equal('max-age=31536000');
      }
    } finally {
      await published.close();
    }
  });
});

describe('security: health endpoints', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ label: 'sec-health' });
  });
  after(async () => t?.close());

  it('when /healthz is asked without a token, then it says ok with the uptime', async () => {
    const res = await request(t.app).get('/healthz');
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('ok');
    expect(res.body.uptimeSeconds).to.be.a('number');
  });

  it('when /readyz is asked, then it reports the database backend and that it answers', async () => {
    const res = await request(t.app).get('/readyz');
    expect(res.status).to.equal(200);
    expect(res.body.status).to.equal('ready');
    expect(res.body.database.backend).to.equal(t.ctx.db.backend);
    expect(res.body.database.name).to.equal(t.ctx.connection.name);
  });

  it('when the database is gone, then /readyz answers 503 with the backend named and /healthz still answers', async () => {
    const other = await createTestApp({ label: 'sec-health-down' });
    await other.ctx.connection.close();
    const started = Date.now();
    const res = await request(other.app).get('/readyz');
    expect(Date.now() - started, 'a readiness probe must not hang').to.be.below(5000);
    expect(res.status).to.equal(503);
    expect(res.body.error.code).to.equal('unavailable');
    expect(res.body.error.details.backend).to.equal(other.ctx.db.backend);
    expect((await request(other.app).get('/healthz')).body.status).to.equal('ok');
    // other.close() would try to drop the database over the closed connection (and wait 10 s)
    await closeContext(other.ctx);
  });
});
