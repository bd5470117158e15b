/** Start-up bootstrap: the configured first admin, and the demo accounts of the zero-config start. */
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser } from '../support/users.js';
import { runStartupTasks } from '../../server/startup.js';
import { DEMO_USERS } from '../../domain/accounts/create-demo-users.js';
import type { AppContext } from '../../server/context.js';
import { ROLES } from '../../workflows/permissions.js';

/** The same context as if the service had started on the embedded default (no MONGODB_URI). */
function asZeroConfig(ctx: AppContext): AppContext {
  return { ...ctx, db: { ...ctx.db, backend: 'embedded' } };
}

async function announced(ctx: AppContext): Promise<string> {
  const handle = await runStartupTasks(ctx);
  let out = '';
  handle.announce(4321, (text) => (out += text));
  await handle.stop();
  return out;
}

describe('accounts: start-up bootstrap', function () {
  // each case loads the whole demo (ten agreements with their histories and documents), twice in one: a
  // busy machine takes several times the 6 s a quiet one does
  this.timeout(90_000);
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('when ADMIN_EMAIL and ADMIN_PASSWORD are set, then that admin is created once and can log in', async () => {
    t = await createTestApp({ label: 'boot-admin', env: { ADMIN_EMAIL: 'Root@Kemlu.go.id', ADMIN_PASSWORD: 'first-admin-pass' } });
    const out = await announced(t.ctx);
    expect(out).to.include('root@kemlu.go.id');
    await runStartupTasks(t.ctx);
    expect(await t.ctx.models.User.countDocuments({ email: 'root@kemlu.go.id' })).to.equal(1);
    const login = await request(t.app).post('/api/auth/login').send({ email: 'root@kemlu.go.id', password: 'first-admin-pass' });
    expect(login.status).to.equal(200);
    expect(login.body.user.role).to.equal('admin');
  });

  it('when the configured admin already exists with another password, then start-up leaves that password alone', async () => {
    t = await createTestApp({ label: 'boot-admin2', env: { ADMIN_EMAIL: 'root@kemlu.go.id', ADMIN_PASSWORD: 'first-admin-pass' } });
    await createUser(t, { role: 'admin', email: 'root@kemlu.go.id', password: 'changed-since-then' });
    const out = await announced(t.ctx);
    expect(out).not.to.include('Created the first admin');
    const login = await request(t.app).post('/api/auth/login').send({ email: 'root@kemlu.go.id', password: 'changed-since-then' });
    expect(login.status).to.equal(200);
    const configured = await request(t.app).post('/api/auth/login').send({ email: 'root@kemlu.go.id', password: 'first-admin-pass' });
    expect(configured.status).to.equal(401);
    expect(configured.body.error.code).to.equal('unauthenticated');
    expect(configured.body).to.not.have.property('token');
  });

  it('when the zero-config demo starts on an empty database, then one PWNI user per role and a drafter of another unit exist, and the printed logins work', async () => {
    t = await createTestApp({ label: 'boot-demo', env: { DEMO_DATA: 'true' } });
    const out = await announced(asZeroConfig(t.ctx));
    const users = await t.ctx.models.User.find({}).lean();
    expect(users.filter((u) => u.unit === 'PWNI').map((u) => u.role).sort()).to.deep.equal([...ROLES].sort());
    expect(users.filter((u) => u.unit !== 'PWNI').map((u) => [u.role, u.unit])).to.deep.equal([['drafter', 'PROTKONS']]);
    expect(out).to.match(/protkons@demo\.pwni\.local\s+lonceng-konsuler-sabang\s+\(unit PROTKONS\)/);
    for (const u of DEMO_USERS) {
      expect(out).to.include(u.email);
      expect(out).to.include(u.password);
      const login = await request(t.app).post('/api/auth/login').send({ email: u.email, password: u.password });
      expect(login.body.user.role).to.equal(u.role);
    }
  });

  it('when the demo start runs again, then no user is duplicated, and a changed demo password is no longer printed', async () => {
    t = await createTestApp({ label: 'boot-demo2', env: { DEMO_DATA: 'true' } });
    await announced(asZeroConfig(t.ctx));
    await t.ctx.models.User.updateOne({ email: DEMO_USERS[0].email }, { $set: { passwordHash: 'scrypt$16384$8$1$AAAA$BBBB' } });
    const out = await announced(asZeroConfig(t.ctx));
    expect(await t.ctx.models.User.countDocuments()).to.equal(DEMO_USERS.length);
    expect(out).not.to.include(DEMO_USERS[0].password);
    expect(out).to.include(DEMO_USERS[1].password);
  });

  it('when the database already has users, or DEMO_DATA=false, or MONGODB_URI is set, then no demo user is created', async () => {
    t = await createTestApp({ label: 'boot-nodemo', env: { DEMO_DATA: 'true' } });
    await createUser(t, { role: 'drafter' });
    await announced(asZeroConfig(t.ctx));
    expect(await t.ctx.models.User.countDocuments()).to.equal(1);
    await t.close();

    t = await createTestApp({ label: 'boot-nodemo2', env: { DEMO_DATA: 'false' } });
    await announced(asZeroConfig(t.ctx));
    expect(await t.ctx.models.User.countDocuments()).to.equal(0);
    await t.close();

    t = await createTestApp({ label: 'boot-nodemo3', env: { DEMO_DATA: 'true' } });
    await announced(t.ctx); // backend 'mongodb': a configured database is never filled with demo data
    expect(await t.ctx.models.User.countDocuments()).to.equal(0);
  });
});
