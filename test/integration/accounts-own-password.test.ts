/**
 * A person replaces the password an administrator gave them (POST /api/me/password): the current
 * one is asked for and its guessing slowed as log-ins are, the new one meets the password rule and
 * differs from the current one, and every other session of the account ends while this one stays.
 */
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, loginAs, type TestUser } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { createLogger } from '../../lib/logger.js';

describe('accounts: a user changes their own password', () => {
  let t: TestApp;
  const logged: Array<Record<string, unknown>> = [];

  before(async () => {
    t = await createTestApp({ label: 'own-password' });
    t.ctx.logger = createLogger('info', (line) => logged.push(JSON.parse(line)));
  });
  after(async () => t?.close());

  const NEW_PASSWORD = 'sambal matah di teras pejambon';
  const logIn = (email: string, password: string) => request(t.app).post('/api/auth/login').send({ email, password });
  const change = (token: string, body: Record<string, unknown>) => request(t.app).post('/api/me/password').set(bearer(token)).send(body);
  const storedHash = async (user: TestUser) => (await t.ctx.models.User.findById(user.id, { passwordHash: 1 }).lean())!.passwordHash;

  it('when the current password is right and the new one acceptable, then only the new one logs in, other sessions end and this one stays', async () => {
    const { token, user } = await loginAs(t, 'diplomat');
    const other = (await loginAs(t, 'diplomat', { user })).token;
    const res = await change(token, { currentPassword: user.password, newPassword: NEW_PASSWORD });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.otherSessionsEnded).to.equal(1);
    expect(res.body.calendarFeedRevoked).to.equal(false);
    expect(new Date(res.body.passwordChangedAt).getTime()).to.be.closeTo(Date.now(), 60_000);

    expectError(await logIn(user.email, user.password), 401, 'unauthenticated');
    const fresh = await logIn(user.email, NEW_PASSWORD);
    expect(fresh.status).to.equal(200);
    expect(fresh.body.user.email).to.equal(user.email);

    expectError(await request(t.app).get('/api/me').set(bearer(other)), 401, 'unauthenticated');
    const me = await request(t.app).get('/api/me').set(bearer(token));
    expect(me.status).to.equal(200);
    expect(me.body.email).to.equal(user.email);

    const entry = logged.find((l) => l.msg === 'password changed by its owner' && l.userId === user.id);
    expect(entry, JSON.stringify(logged)).to.include({ level: 'info', by: user.email, otherSessionsEnded: 1 });
  });

  it('when the account had a calendar feed URL, then the change revokes it with the sessions: the old URL answers 404 in both languages, the answer says so, and a new URL works', async () => {
    const { token, user } = await loginAs(t, 'signatory');
    const issued = await request(t.app).post('/api/me/calendar-token').set(bearer(token));
    expect(issued.status).to.equal(201);
    const feedPath = `/api/calendar/${issued.body.token}.ics`;
    expect((await request(t.app).get(feedPath)).text).to.match(/^BEGIN:VCALENDAR/);

    const res = await change(token, { currentPassword: user.password, newPassword: NEW_PASSWORD });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const old = await request(t.app).get(feedPath);
    expectError(old, 404, 'not_found');
    expect(old.body.error.message).to.equal('Calendar not found / Kalender tidak ditemukan');
    expect(res.body).to.include({ calendarFeedRevoked: true, otherSessionsEnded: 0 });
    const entry = logged.find((l) => l.msg === 'password changed by its owner' && l.userId === user.id);
    expect(entry, JSON.stringify(logged)).to.include({ calendarFeedRevoked: true });

    // the person takes a new one with the session that stayed
    const renewed = await request(t.app).post('/api/me/calendar-token').set(bearer(token));
    expect((await request(t.app).get(`/api/calendar/${renewed.body.token}.ics`)).text).to.match(/^BEGIN:VCALENDAR/);
  });

  it('when the current password is wrong, then 422 names currentPassword in both languages, and the password and sessions stay as they were', async () => {
    const { token, user } = await loginAs(t, 'drafter');
    const other = (await loginAs(t, 'drafter', { user })).token;
    const before = await storedHash(user);
    const res = await change(token, { currentPassword: 'not-my-password-at-all', newPassword: NEW_PASSWORD });
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details).to.deep.equal([
      { field: 'currentPassword', message: 'The current password is not correct / Kata sandi saat ini salah', type: 'password.wrong_current' },
    ]);
    expect(await storedHash(user)).to.equal(before);
    expect((await logIn(user.email, user.password)).status).to.equal(200);
    expectError(await logIn(user.email, NEW_PASSWORD), 401, 'unauthenticated');
    expect((await request(t.app).get('/api/me').set(bearer(other))).status).to.equal(200);
  });

  it('when the new password is guessable, then 422 names newPassword with the password rule’s reason in both languages, and nothing changes', async () => {
    const user = await createUser(t, { role: 'signatory', email: 'budi.santoso@kemlu.go.id', name: 'Budi Santoso' });
    const { token } = await loginAs(t, 'signatory', { user });
    const other = (await loginAs(t, 'signatory', { user })).token;
    const before = await storedHash(user);
    const cases: Array<[string, string, string]> = [
      ['Password123!', 'password.common', 'Password is on a list of commonly used or leaked passwords / Kata sandi termasuk daftar kata sandi yang umum dipakai atau pernah bocor'],
      ['short-1', 'password.too_short', 'Password must have at least 10 characters / Kata sandi minimal 10 karakter'],
      ['Budi.Santoso-Pejambon', 'password.contains_email_name', 'Password must not contain the name of the e-mail address / Kata sandi tidak boleh memuat nama alamat e-mail'],
    ];
    for (const [newPassword, type, message] of cases) {
      const res = await change(token, { currentPassword: user.password, newPassword });
      expectError(res, 422, 'validation_failed');
      expect(res.body.error.message, newPassword).to.equal(`Password refused / Kata sandi ditolak: ${message}`);
      expect(res.body.error.details, newPassword).to.deep.equal([{ field: 'newPassword', message, type }]);
    }
    expect(await storedHash(user)).to.equal(before);
    expect((await request(t.app).get('/api/me').set(bearer(other))).status).to.equal(200);
  });

  it('when the new password is the current one, then 422 says it must differ, in both languages, and the other sessions stay', async () => {
    const { token, user } = await loginAs(t, 'auditor');
    const other = (await loginAs(t, 'auditor', { user })).token;
    const before = await storedHash(user);
    const res = await change(token, { currentPassword: user.password, newPassword: user.password });
    expectError(res, 422, 'validation_failed');
    expect(res.body.error.details).to.deep.equal([
      { field: 'newPassword', message: 'The new password must differ from the current one / Kata sandi baru harus berbeda dari kata sandi saat ini', type: 'password.same_as_current' },
    ]);
    expect(await storedHash(user)).to.equal(before);
    expect((await request(t.app).get('/api/me').set(bearer(other))).status).to.equal(200);
  });

  it('when a field is missing or unknown, then 422 names each field in both languages', async () => {
    const { token } = await loginAs(t, 'diplomat');
    const res = await change(token, { newPassword: NEW_PASSWORD, password: 'x' });
    expectError(res, 422, 'validation_failed');
    const byField = Object.fromEntries(res.body.error.details.map((d: { field: string; message: string }) => [d.field, d.message]));
    expect(byField.currentPassword).to.match(/currentPassword.* \/ .*currentPassword.* wajib diisi/);
    expect(byField.password).to.match(/password.* \/ .*password.* tidak diizinkan/);
  });

  it('when the current password is guessed wrong five times, then the next try waits (429 saying how long, as Retry-After does, even with the right password), as log-ins do, and nothing changed', async () => {
    const { token, user } = await loginAs(t, 'drafter');
    const before = await storedHash(user);
    for (let i = 1; i <= 5; i++) {
      const res = await change(token, { currentPassword: `wrong guess number ${i}`, newPassword: NEW_PASSWORD });
      expectError(res, 422, 'validation_failed');
    }
    const held = await change(token, { currentPassword: user.password, newPassword: NEW_PASSWORD });
    expectError(held, 429, 'too_many_requests');
    const wait = Number(held.headers['retry-after']);
    expect(wait).to.be.within(1, 60);
    // the same words for the wait as the login form's (login-throttle.ts), after what failed here
    const inWords = (n: number) => [n === 1 ? '1 second' : `${n} seconds`, `${n} detik`];
    expect(held.body.error.message).to.equal(
      `Too many wrong password attempts. Try again in ${inWords(wait)[0]}. / Terlalu banyak percobaan kata sandi yang salah. Coba lagi dalam ${inWords(wait)[1]}.`,
    );
    expect(held.body.error.details).to.deep.equal({ retryAfterSeconds: wait });
    expect(await storedHash(user)).to.equal(before);
    // the same counters as the login form: the guesses made here hold back logging in from here too
    const login = await logIn(user.email, user.password);
    expectError(login, 429, 'too_many_requests');
    const loginWait = Number(login.headers['retry-after']);
    expect(login.body.error.message).to.equal(
      `Too many failed sign-ins. Try again in ${inWords(loginWait)[0]}. / Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam ${inWords(loginWait)[1]}.`,
    );
  });

  it('when no one is signed in, then 401 and no password is asked about', async () => {
    expectError(await request(t.app).post('/api/me/password').send({ currentPassword: 'a', newPassword: NEW_PASSWORD }), 401, 'unauthenticated');
  });
});
