/**
 * Passwords after NIST SP 800-63B: common, leaked and trivially guessable ones refused (zxcvbn-ts
 * with its dictionaries), so are ones containing the e-mail's name; each refusal says why in both
 * languages; ADMIN_PASSWORD follows the same rule or start-up stops.
 */
import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { runStartupTasks } from '../../server/startup.js';

describe('integrity: passwords', () => {
  let t: TestApp;
  let admin: string;

  before(async () => {
    t = await createTestApp({ label: 'integrity-pw' });
    admin = (await loginAs(t, 'admin')).token;
  });
  after(async () => t?.close());

  const create = (email: string, password: string) =>
    request(t.app).post('/api/users').set(bearer(admin)).send({ email, name: 'Budi Santoso', password, role: 'drafter' });

  const refused: Array<[string, string]> = [
    [' '.repeat(10), 'password.repeated'],
    ['1111111111', 'password.repeated'],
    ['password12', 'password.common'],
    ['Password123!', 'password.common'],
    ['qwertyuiop', 'password.common'],
    ['abcdefghij', 'password.'],
  ];
  for (const [password, type] of refused) {
    it(`when an admin gives a new user the password ${JSON.stringify(password)}, then 422 says why in both languages and no user is stored`, async () => {
      const email = `weak.${Math.random().toString(36).slice(2, 8)}@kemlu.go.id`;
      const res = await create(email, password);
      expectError(res, 422, 'validation_failed');
      expect(res.body.error.details).to.have.length(1);
      expect(res.body.error.details[0].field).to.equal('password');
      expect(res.body.error.details[0].type).to.contain(type);
      expect(res.body.error.details[0].message).to.match(/Password .+ \/ Kata sandi /);
      expect(await t.ctx.models.User.exists({ email })).to.equal(null);
    });
  }

  it("when the password equals or contains the e-mail's name, then 422 says so", async () => {
    for (const password of ['budi.santoso', 'Kelapa-budi.santoso-77', 'xBUDI.SANTOSOx-Gading']) {
      const res = await create('budi.santoso@kemlu.go.id', password);
      expectError(res, 422, 'validation_failed');
      expect(res.body.error.details[0].type, password).to.equal('password.contains_email_name');
      expect(res.body.error.details[0].message).to.contain('e-mail');
    }
  });

  it('when the password is a long phrase of unrelated words (spaces welcome), then the user is created and can log in', async () => {
    const res = await create('siti.rahma@kemlu.go.id', 'kopi tubruk di teras pejambon');
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    const login = await request(t.app).post('/api/auth/login').send({ email: 'siti.rahma@kemlu.go.id', password: 'kopi tubruk di teras pejambon' });
    expect(login.status).to.equal(200);
  });

  it('when a password is changed to a guessable one, then 422 and the old password still works', async () => {
    const created = await create('andi.wijaya@kemlu.go.id', 'Kelapa-Gading-Timur-77');
    const res = await request(t.app).patch(`/api/users/${created.body.id}`).set(bearer(admin)).send({ password: 'andiwijaya2026' });
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details[0].field).to.equal('password');
    const common = await request(t.app).patch(`/api/users/${created.body.id}`).set(bearer(admin)).send({ password: 'iloveyou123' });
    expectError(common, 422, 'validation_failed');
    const login = await request(t.app).post('/api/auth/login').send({ email: 'andi.wijaya@kemlu.go.id', password: 'Kelapa-Gading-Timur-77' });
    expect(login.status).to.equal(200);
  });

  it('when ADMIN_PASSWORD is guessable, then start-up stops naming the setting and the reason, and no admin is created', async () => {
    const weak = await createTestApp({ label: 'integrity-pw-admin', env: { ADMIN_EMAIL: 'root@kemlu.go.id', ADMIN_PASSWORD: 'Password123!' } });
    try {
      let failure: Error | undefined;
      await runStartupTasks(weak.ctx).catch((err: Error) => (failure = err));
      expect(failure?.message).to.match(/ADMIN_PASSWORD: Password is on a list of commonly used or leaked passwords \/ Kata sandi/);
      expect(await weak.ctx.models.User.exists({ email: 'root@kemlu.go.id' })).to.equal(null);
    } finally {
      await weak.close();
    }
  });

  it('when the service is started with a guessable ADMIN_PASSWORD, then the process exits 1 with a clear message and no stack trace', function () {
    this.timeout(60_000);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: { ...process.env, ADMIN_EMAIL: 'root@kemlu.go.id', ADMIN_PASSWORD: 'root@kemlu.go.id', MONGODB_URI: '', PORT: '0', LOG_LEVEL: 'silent', REMINDERS_ENABLED: 'false' },
      encoding: 'utf8',
      timeout: 55_000,
    });
    expect(run.status, run.stderr).to.equal(1);
    expect(run.stderr).to.contain('ADMIN_PASSWORD: Password must not contain the name of the e-mail address');
    expect(run.stderr).not.to.match(/\n\s+at /);
  });
});
