/** User administration and the signed-in user's own view, through HTTP. */
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';

describe('accounts: users', () => {
  let t: TestApp;
  let admin: { token: string; user: { id: string } };

  before(async () => {
    t = await createTestApp({ label: 'acc-users' });
    admin = await loginAs(t, 'admin');
  });
  after(async () => t?.close());

  it('when an admin creates a user, then 201 gives the user without a password, and the new user can log in', async () => {
    const res = await request(t.app)
      .post('/api/users')
      .set(bearer(admin.token))
      .send({ email: 'Siti.Rahma@Kemlu.go.id', name: 'Siti Rahma', password: 'rahasia-sekali-22', role: 'diplomat', unit: 'HPI' });
    expect(res.status).to.equal(201);
    expect(res.headers.location).to.equal(`/api/users/${res.body.id}`);
    expect(res.body).to.include({ email: 'siti.rahma@kemlu.go.id', name: 'Siti Rahma', role: 'diplomat', unit: 'HPI', disabled: false });
    expect(res.body).not.to.have.property('password');
    expect(res.body).not.to.have.property('passwordHash');
    const login = await request(t.app).post('/api/auth/login').send({ email: 'SITI.RAHMA@kemlu.go.id', password: 'rahasia-sekali-22' });
    expect(login.status).to.equal(200);
    expect(login.body.user.id).to.equal(res.body.id);
  });

  it('when the unit is left out, then the user belongs to PWNI', async () => {
    const res = await request(t.app).post('/api/users').set(bearer(admin.token)).send({ email: 'nounit@example.org', name: 'N', password: 'long-enough-pw', role: 'drafter' });
    expect(res.status).to.equal(201);
    expect(res.body.unit).to.equal('PWNI');
  });

  it('when the e-mail is already taken (in any case), then 409 duplicate names the field', async () => {
    const existing = await createUser(t, { role: 'drafter' });
    const res = await request(t.app)
      .post('/api/users')
      .set(bearer(admin.token))
      .send({ email: existing.email.toUpperCase(), name: 'Dup', password: 'long-enough-pw', role: 'drafter' });
    expect(res.status).to.equal(409);
    expect(res.body.error).to.deep.include({ code: 'duplicate', details: { fields: ['email'] } });
  });

  it('when the password is stored, then it is a salted scrypt hash: two users with the same password get different hashes', async () => {
    const a = await createUser(t, { role: 'drafter', password: 'same-password-123' });
    const b = await createUser(t, { role: 'drafter', password: 'same-password-123' });
    const [ha, hb] = await Promise.all([a, b].map(async (u) => (await t.ctx.models.User.findById(u.id).lean())!.passwordHash));
    expect(ha).to.match(/^scrypt\$/);
    expect(ha).not.to.equal(hb);
    expect(ha).not.to.include('same-password-123');
  });

  it('when an admin lists users filtered by role, then items and total count only that role', async () => {
    await createUser(t, { role: 'auditor', unit: 'ITJEN' });
    await createUser(t, { role: 'auditor', unit: 'ITJEN' });
    const res = await request(t.app).get('/api/users?role=auditor&unit=ITJEN&limit=1').set(bearer(admin.token));
    expect(res.status).to.equal(200);
    expect(res.body.total).to.equal(2);
    expect(res.body.items).to.have.length(1);
    expect(res.body.items[0]).to.include({ role: 'auditor', unit: 'ITJEN' });
  });

  it('when an admin changes a role, then the next request of that user already carries the new role', async () => {
    const u = await loginAs(t, 'diplomat');
    const patch = await request(t.app).patch(`/api/users/${u.user.id}`).set(bearer(admin.token)).send({ role: 'drafter', unit: 'BHAKP' });
    expect(patch.status).to.equal(200);
    expect(patch.body).to.include({ role: 'drafter', unit: 'BHAKP' });
    const me = await request(t.app).get('/api/me').set(bearer(u.token));
    expect(me.body).to.include({ role: 'drafter', unit: 'BHAKP' });
  });

  it('when an admin sets a new password, then the old sessions end and only the new password works', async () => {
    const u = await loginAs(t, 'signatory');
    const patch = await request(t.app).patch(`/api/users/${u.user.id}`).set(bearer(admin.token)).send({ password: 'brand-new-password' });
    expect(patch.status).to.equal(200);
    expect((await request(t.app).get('/api/me').set(bearer(u.token))).status).to.equal(401);
    const old = await request(t.app).post('/api/auth/login').send({ email: u.user.email, password: u.user.password });
    expect(old.status).to.equal(401);
    const fresh = await request(t.app).post('/api/auth/login').send({ email: u.user.email, password: 'brand-new-password' });
    expect(fresh.body.user.id).to.equal(u.user.id);
  });

  it('when an admin sets a new password or disables the user, then the user’s calendar feed URL stops working for good, re-enabling included', async () => {
    const calendarNotFound = async (feedPath: string) => {
      const res = await request(t.app).get(feedPath);
      expectError(res, 404, 'not_found');
      expect(res.body.error.message).to.equal('Calendar not found / Kalender tidak ditemukan');
    };
    for (const [change, undo] of [
      [{ password: 'brand-new-password' }, null],
      [{ disabled: true }, { disabled: false }],
    ] as const) {
      const u = await loginAs(t, 'diplomat');
      const issued = await request(t.app).post('/api/me/calendar-token').set(bearer(u.token));
      const feedPath = `/api/calendar/${issued.body.token}.ics`;
      expect((await request(t.app).get(feedPath)).text, JSON.stringify(change)).to.match(/^BEGIN:VCALENDAR/);
      expect((await request(t.app).patch(`/api/users/${u.user.id}`).set(bearer(admin.token)).send(change)).status).to.equal(200);
      await calendarNotFound(feedPath);
      if (undo) expect((await request(t.app).patch(`/api/users/${u.user.id}`).set(bearer(admin.token)).send(undo)).body.disabled).to.equal(false);
      await calendarNotFound(feedPath);
    }
  });

  it('when the only active admin would be demoted, disabled or deleted, then 409 and the admin stays', async () => {
    const t2 = await createTestApp({ label: 'acc-last-admin' });
    try {
      const only = await loginAs(t2, 'admin');
      for (const [method, body] of [
        ['patch', { role: 'drafter' }],
        ['patch', { disabled: true }],
        ['delete', undefined],
      ] as const) {
        const req = request(t2.app)[method](`/api/users/${only.user.id}`).set(bearer(only.token));
        const res = body ? await req.send(body) : await req;
        expect(res.status).to.equal(409);
        expect(res.body.error.code).to.equal('invalid_state');
      }
      const me = await request(t2.app).get('/api/me').set(bearer(only.token));
      expect(me.body).to.include({ role: 'admin', disabled: false });
      // With a second admin, the first may step down.
      await createUser(t2, { role: 'admin' });
      const ok = await request(t2.app).patch(`/api/users/${only.user.id}`).set(bearer(only.token)).send({ role: 'auditor' });
      expect(ok.body.role).to.equal('auditor');
    } finally {
      await t2.close();
    }
  });

  it('when an admin deletes a user, then the user is gone from the list and from GET by id', async () => {
    const u = await createUser(t, { role: 'diplomat' });
    expect((await request(t.app).delete(`/api/users/${u.id}`).set(bearer(admin.token))).status).to.equal(204);
    const res = await request(t.app).get(`/api/users/${u.id}`).set(bearer(admin.token));
    expect(res.status).to.equal(404);
    expect(res.body.error.code).to.equal('not_found');
    const again = await request(t.app).delete(`/api/users/${u.id}`).set(bearer(admin.token));
    expect(again.body.error.code).to.equal('not_found');
  });

  describe('the time zone a user reads times in', () => {
    it('when a user has never chosen a zone, then the login answer and GET /me say Asia/Jakarta', async () => {
      const { token, user } = await loginAs(t, 'diplomat');
      const login = await request(t.app).post('/api/auth/login').send({ email: user.email, password: user.password });
      expect(login.body.user.timezone).to.equal('Asia/Jakarta');
      const me = await request(t.app).get('/api/me').set(bearer(token));
      expect(me.body.timezone).to.equal('Asia/Jakarta');
    });

    it('when a user sets Asia/Riyadh on PATCH /me, then it is kept: GET /me and the next login answer carry it, and nothing else changed', async () => {
      const { token, user } = await loginAs(t, 'signatory');
      const res = await request(t.app).patch('/api/me').set(bearer(token)).send({ timezone: 'Asia/Riyadh' });
      expect(res.status).to.equal(200);
      expect(res.body).to.include({ id: user.id, email: user.email, role: 'signatory', timezone: 'Asia/Riyadh', disabled: false });
      expect((await request(t.app).get('/api/me').set(bearer(token))).body.timezone).to.equal('Asia/Riyadh');
      const again = await request(t.app).post('/api/auth/login').send({ email: user.email, password: user.password });
      expect(again.body.user.timezone).to.equal('Asia/Riyadh');
      // the old session still works: a zone is not a credential
      expect((await request(t.app).get('/api/me').set(bearer(token))).status).to.equal(200);
    });

    it('when the zone is not an IANA zone, then 422 says so in both languages, names the field, and the stored zone stays', async () => {
      const { token } = await loginAs(t, 'drafter');
      await request(t.app).patch('/api/me').set(bearer(token)).send({ timezone: 'Asia/Makassar' });
      for (const bad of ['WIB', 'Asia/Atlantis', 'x'.repeat(65), '']) {
        const res = await request(t.app).patch('/api/me').set(bearer(token)).send({ timezone: bad });
        expect(res.status, bad).to.equal(422);
        expect(res.body.error.code).to.equal('validation_failed');
        expect(new Set(res.body.error.details.map((d: any) => d.field))).to.deep.equal(new Set(['timezone']));
      }
      const named = await request(t.app).patch('/api/me').set(bearer(token)).send({ timezone: 'Asia/Atlantis' });
      expect(named.body.error.details[0].message).to.include('IANA').and.to.include('zona waktu');
      expect((await request(t.app).get('/api/me').set(bearer(token))).body.timezone).to.equal('Asia/Makassar');
    });

    it('when a user tries to change their own role or e-mail through PATCH /me, then 422 and the account is unchanged', async () => {
      const { token, user } = await loginAs(t, 'diplomat');
      const res = await request(t.app).patch('/api/me').set(bearer(token)).send({ timezone: 'Europe/London', role: 'admin' });
      expect(res.status).to.equal(422);
      expect(res.body.error.details.map((d: any) => d.field)).to.include('role');
      const me = (await request(t.app).get('/api/me').set(bearer(token))).body;
      expect(me).to.include({ role: 'diplomat', email: user.email, timezone: 'Asia/Jakarta' });
      expect((await request(t.app).patch('/api/me').send({ timezone: 'Europe/London' })).status).to.equal(401);
    });

    it("when an admin sets a user's zone, then that user's next login answer carries it", async () => {
      const u = await createUser(t, { role: 'diplomat' });
      const res = await request(t.app).patch(`/api/users/${u.id}`).set(bearer(admin.token)).send({ timezone: 'Asia/Kuala_Lumpur' });
      expect(res.status).to.equal(200);
      const login = await request(t.app).post('/api/auth/login').send({ email: u.email, password: u.password });
      expect(login.body.user.timezone).to.equal('Asia/Kuala_Lumpur');
    });
  });
});
