/**
 * Authentication and authorisation through HTTP: every way a token can be missing or no longer
 * valid, roles on the users routes, and login throttling that rotating X-Forwarded-For values
 * cannot escape and that a stranger cannot turn against the account's owner.
 */
import { expect } from 'chai';
import request from 'supertest';
import { ManualClock } from '../../lib/clock.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createUser, loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';
import { expectError } from '../support/errors.js';
import { THROTTLE } from '../../domain/accounts/login-throttle.js';

const MINUTE = 60_000;
// Manual clocks start at the real time: the TTL indexes on expiresAt run on real time, and a
// clock set in the past would have the database itself delete tokens and login counters.

describe('security: authentication', () => {
  let t: TestApp;
  const clock = new ManualClock();

  before(async () => {
    t = await createTestApp({ label: 'sec-auth', clock, env: { TOKEN_TTL_MINUTES: '60' } });
  });
  after(async () => t?.close());

  it('when no token is sent, then /api/me answers 401 with the error shape and a WWW-Authenticate challenge', async () => {
    const res = await request(t.app).get('/api/me');
    expectError(res, 401, 'unauthenticated');
    expect(res.headers['www-authenticate']).to.match(/^Bearer/);
  });

  it('when the token is made up or the scheme is not Bearer, then 401', async () => {
    const { token } = await loginAs(t, 'diplomat');
    for (const header of ['Bearer not-a-real-token-0123456789abcdef', `Basic ${token}`, 'Bearer', `Bearer ${token}x`]) {
      const res = await request(t.app).get('/api/me').set('Authorization', header);
      expectError(res, 401, 'unauthenticated');
    }
  });

  it('when a valid token is sent, then /api/me names the signed-in user and no password hash', async () => {
    const { token, user } = await loginAs(t, 'drafter', { unit: 'HPI' });
    const res = await request(t.app).get('/api/me').set(bearer(token));
    expect(res.status).to.equal(200);
    expect(res.body).to.include({ id: user.id, email: user.email, role: 'drafter', unit: 'HPI' });
    expect(JSON.stringify(res.body)).not.to.match(/passwordHash|scrypt/);
  });

  it('when the token has outlived TOKEN_TTL_MINUTES, then 401; just before, it still works', async () => {
    const { token } = await loginAs(t, 'auditor');
    clock.advance(59 * MINUTE);
    expect((await request(t.app).get('/api/me').set(bearer(token))).body.role).to.equal('auditor');
    clock.advance(2 * MINUTE);
    expectError(await request(t.app).get('/api/me').set(bearer(token)), 401, 'unauthenticated');
  });

  it('when the login answer gives expiresAt, then it is the clock plus the configured TTL', async () => {
    const user = await createUser(t, { role: 'diplomat' });
    const res = await request(t.app).post('/api/auth/login').send({ email: user.email, password: user.password });
    expect(new Date(res.body.expiresAt).getTime()).to.equal(clock.now().getTime() + 60 * MINUTE);
    expect(res.headers['cache-control']).to.equal('no-store');
  });

  it('when the user logs out, then that token is refused and another session of the same user still works', async () => {
    const user = await createUser(t, { role: 'drafter' });
    const a = await loginAs(t, 'drafter', { user });
    const b = await loginAs(t, 'drafter', { user });
    const out = await request(t.app).post('/api/auth/logout').set(bearer(a.token));
    expect(out.status).to.equal(204);
    expectError(await request(t.app).get('/api/me').set(bearer(a.token)), 401, 'unauthenticated');
    expect((await request(t.app).get('/api/me').set(bearer(b.token))).body.id).to.equal(user.id);
  });

  it('when only the hash of a token is stored, then the database holds no usable token', async () => {
    const { token } = await loginAs(t, 'signatory');
    const stored = await t.ctx.models.AuthToken.find({}).lean();
    expect(stored.length).to.be.greaterThan(0);
    expect(JSON.stringify(stored)).not.to.include(token);
  });

  it('when an admin deletes a user, then that user’s token gets 401 at once', async () => {
    const admin = await loginAs(t, 'admin');
    const victim = await loginAs(t, 'drafter');
    const del = await request(t.app).delete(`/api/users/${victim.user.id}`).set(bearer(admin.token));
    expect(del.status).to.equal(204);
    expectError(await request(t.app).get('/api/me').set(bearer(victim.token)), 401, 'unauthenticated');
    expect(await t.ctx.models.AuthToken.countDocuments({ userId: victim.user.id })).to.equal(0);
  });

  it('when a user is deleted straight in the database, then their remaining token still gets 401', async () => {
    const victim = await loginAs(t, 'diplomat');
    await t.ctx.models.User.deleteOne({ _id: victim.user.id });
    expectError(await request(t.app).get('/api/me').set(bearer(victim.token)), 401, 'unauthenticated');
  });

  it('when an admin disables a user, then their token gets 401 and they cannot log in again', async () => {
    const admin = await loginAs(t, 'admin');
    const victim = await loginAs(t, 'diplomat');
    const patch = await request(t.app).patch(`/api/users/${victim.user.id}`).set(bearer(admin.token)).send({ disabled: true });
    expect(patch.body.disabled).to.equal(true);
    expectError(await request(t.app).get('/api/me').set(bearer(victim.token)), 401, 'unauthenticated');
    const relogin = await request(t.app).post('/api/auth/login').send({ email: victim.user.email, password: victim.user.password });
    expectError(relogin, 401, 'unauthenticated');
  });
});

describe('security: roles on the users routes', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp({ label: 'sec-roles' });
  });
  after(async () => t?.close());

  for (const role of ['drafter', 'diplomat', 'signatory', 'auditor'] as const) {
    it(`when a ${role} calls the admin routes, then each answers 403 and nothing changes`, async () => {
      const { token } = await loginAs(t, role);
      const other = await createUser(t, { role: 'diplomat' });
      const before = await t.ctx.models.User.countDocuments();
      const auth = bearer(token);
      const answers = [
        await request(t.app).get('/api/users').set(auth),
        await request(t.app).post('/api/users').set(auth).send({ email: 'x@example.org', name: 'X', password: 'long-enough-pw', role: 'admin' }),
        await request(t.app).get(`/api/users/${other.id}`).set(auth),
        await request(t.app).patch(`/api/users/${other.id}`).set(auth).send({ role: 'admin' }),
        await request(t.app).delete(`/api/users/${other.id}`).set(auth),
      ];
      for (const res of answers) expectError(res, 403, 'forbidden');
      expect(await t.ctx.models.User.countDocuments()).to.equal(before);
      expect((await t.ctx.models.User.findById(other.id).lean())!.role).to.equal('diplomat');
    });
  }

  it('when nobody is signed in, then the admin routes answer 401 before any validation', async () => {
    expectError(await request(t.app).post('/api/users').send({ nonsense: true }), 401, 'unauthenticated');
    expectError(await request(t.app).get('/api/users/not-an-id'), 401, 'unauthenticated');
  });
});

describe('security: login throttling and injection', () => {
  let t: TestApp;
  const clock = new ManualClock();

  async function failLogin(email: string, headers: Record<string, string> = {}) {
    return request(t.app).post('/api/auth/login').set(headers).send({ email, password: 'wrong-password!' });
  }

  describe('with no proxy trusted (TRUST_PROXY=0)', () => {
    before(async () => {
      t = await createTestApp({ label: 'sec-throttle0', clock, env: { TRUST_PROXY: '0' } });
    });
    after(async () => t?.close());
    // Every counter lives 15 minutes: start each test from a quiet window.
    beforeEach(() => clock.advance(16 * MINUTE));

    it('when one account gets repeated wrong passwords, then it answers 429 with Retry-After, even for the right password, until the wait is over', async () => {
      const user = await createUser(t, { role: 'drafter' });
      for (let i = 0; i < 5; i++) expectError(await failLogin(user.email), 401, 'unauthenticated');
      const blocked = await request(t.app).post('/api/auth/login').send({ email: user.email, password: user.password });
      expectError(blocked, 429, 'too_many_requests');
      const wait = Number(blocked.headers['retry-after']);
      expect(wait).to.be.within(1, 900);
      clock.advance(wait * 1000);
      const ok = await request(t.app).post('/api/auth/login').send({ email: user.email, password: user.password });
      expect(ok.status).to.equal(200);
      expect(ok.body.token).to.be.a('string');
    });

    it('when failures keep coming after a lock, then each lock lasts longer than the one before', async () => {
      const user = await createUser(t, { role: 'drafter' });
      const waits: number[] = [];
      for (let i = 0; i < 5; i++) await failLogin(user.email);
      for (let round = 0; round < 3; round++) {
        const blocked = await failLogin(user.email);
        expect(blocked.status).to.equal(429);
        const wait = Number(blocked.headers['retry-after']);
        waits.push(wait);
        clock.advance(wait * 1000);
        expectError(await failLogin(user.email), 401, 'unauthenticated');
      }
      expect(waits[1]).to.be.greaterThan(waits[0]);
      expect(waits[2]).to.be.greaterThan(waits[1]);
    });

    it('when a burst of failed logins rotates X-Forwarded-For and the target e-mail, then the client address is still throttled', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 26; i++) {
        const res = await failLogin(`nobody${i}@example.org`, { 'X-Forwarded-For': `198.51.100.${i + 1}` });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 20).every((s) => s === 401)).to.equal(true);
      expect(statuses.slice(20).every((s) => s === 429)).to.equal(true);
    });

    it('when a burst of parallel wrong passwords hits one account, then at most the free allowance is actually checked', async () => {
      const user = await createUser(t, { role: 'signatory' });
      const answers = await Promise.all(Array.from({ length: 15 }, () => failLogin(user.email)));
      const checked = answers.filter((r) => r.status === 401).length;
      const throttled = answers.filter((r) => r.status === 429).length;
      expect(checked).to.be.at.most(5);
      expect(checked + throttled).to.equal(15);
    });

    it('when the login e-mail is an operator object, then 422 names the field and nobody is signed in', async () => {
      await createUser(t, { role: 'admin' });
      for (const body of [
        { email: { $gt: '' }, password: 'whatever-password' },
        { email: { $ne: null }, password: { $ne: null } },
        { email: 'a@b.org', password: { $gt: '' } },
        { email: { $where: 'true' }, password: 'x' },
      ]) {
        const res = await request(t.app).post('/api/auth/login').send(body);
        expectError(res, 422, 'validation_failed');
        expect(res.body).not.to.have.property('token');
        const fields = (res.body.error.details as Array<{ field: string }>).map((d) => d.field);
        expect(fields.some((f) => f === 'email' || f === 'password')).to.equal(true);
      }
    });

    it('when the login body has an unknown field, then 422 names it', async () => {
      const res = await request(t.app).post('/api/auth/login').send({ email: 'a@b.org', password: 'x', role: 'admin' });
      expectError(res, 422, 'validation_failed');
      expect(res.body.error.details.map((d: any) => d.field)).to.deep.equal(['role']);
    });

    it('when the e-mail is unknown, then the answer is the same as for a wrong password', async () => {
      const user = await createUser(t, { role: 'auditor' });
      const unknown = await failLogin('no-such-user@example.org');
      const wrong = await failLogin(user.email);
      expect(unknown.status).to.equal(401);
      expect(unknown.body).to.deep.equal(wrong.body);
    });
  });

  describe('behind one trusted proxy (TRUST_PROXY=1)', () => {
    before(async () => {
      t = await createTestApp({ label: 'sec-throttle1', clock, env: { TRUST_PROXY: '1' } });
    });
    after(async () => t?.close());
    beforeEach(() => clock.advance(16 * MINUTE));

    it('when the client prepends rotating X-Forwarded-For values, then the address the proxy appended is throttled', async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) {
        // What a client sends, plus what the single trusted proxy appends at the end.
        const res = await failLogin(`target${i}@example.org`, { 'X-Forwarded-For': `10.${i}.0.1, 192.0.2.${i}, 203.0.113.7` });
        statuses.push(res.status);
      }
      expect(statuses.slice(0, 20).every((s) => s === 401)).to.equal(true);
      expect(statuses.slice(20).every((s) => s === 429)).to.equal(true);
    });

    /** A login as it arrives through the one trusted proxy, from the client address `from`. */
    async function loginFrom(from: string, email: string, password: string) {
      return request(t.app).post('/api/auth/login').set('X-Forwarded-For', from).send({ email, password });
    }

    it('when a stranger keeps sending wrong passwords for an account, then its owner signing in from their own address still gets in', async () => {
      const owner = await createUser(t, { role: 'admin' });
      // the owner's desk: signed in from there before
      expect((await loginFrom('198.51.100.7', owner.email, owner.password)).status).to.equal(200);
      // The reviewer's script: a wrong password every half second for a minute, while the owner
      // signs in with the right one every 8 seconds.
      const strangerAnswers: number[] = [];
      for (let tick = 1; tick <= 120; tick++) {
        clock.advance(500);
        strangerAnswers.push((await loginFrom('203.0.113.66', owner.email, 'wrong-password!')).status);
        if (tick % 16 === 0) {
          const res = await loginFrom('198.51.100.7', owner.email, owner.password);
          expect(res.status, `owner at ${tick / 2} s: ${JSON.stringify(res.body)}`).to.equal(200);
          expect(res.body.user.email).to.equal(owner.email);
        }
      }
      // ...and the stranger is slowed exactly as before: 5 checked, then held back by locks.
      expect(strangerAnswers.slice(0, 5)).to.deep.equal([401, 401, 401, 401, 401]);
      expect(strangerAnswers.filter((s) => s === 429).length).to.be.greaterThan(100);
    });

    it('when wrong passwords for an account come from many addresses, then its owner gets in from an address they signed in from, and a new address waits out the lock', async () => {
      const owner = await createUser(t, { role: 'drafter' });
      expect((await loginFrom('198.51.100.8', owner.email, owner.password)).status).to.equal(200);
      for (let i = 1; i <= 40; i++) await loginFrom(`192.0.2.${i}`, owner.email, 'wrong-password!');
      const res = await loginFrom('198.51.100.8', owner.email, owner.password);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expectError(await loginFrom('198.51.100.99', owner.email, owner.password), 429, 'too_many_requests');
    });

    it('when a guesser spreads over a hundred addresses and comes back every quarter of an hour, then the account still takes only its allowance of guesses per window', async () => {
      const user = await createUser(t, { role: 'drafter' });
      let checked = 0;
      for (let round = 0; round < 4; round++) {
        clock.advance(16 * MINUTE);
        for (let i = 1; i <= 100; i++) if ((await loginFrom(`10.9.${round}.${i}`, user.email, 'wrong-password!')).status === 401) checked++;
      }
      // five a window, not one per address per window (400)
      expect(checked).to.equal(4 * THROTTLE.account.free);
    });

    it('when guesses for one account come from many addresses, then an address that has failed for it waits out the account’s lock', async () => {
      const user = await createUser(t, { role: 'drafter' });
      // one failure from each of five addresses: the account's allowance from everywhere is spent
      for (let i = 1; i <= 5; i++) expectError(await loginFrom(`192.0.2.${i}`, user.email, 'wrong-password!'), 401, 'unauthenticated');
      // each of those addresses is alone under its own allowance, yet must wait, even with the right password
      const again = await loginFrom('192.0.2.1', user.email, user.password);
      expectError(again, 429, 'too_many_requests');
      expect(Number(again.headers['retry-after'])).to.be.within(1, 900);
      // the wait is over: that address may try again
      clock.advance(Number(again.headers['retry-after']) * 1000);
      expect((await loginFrom('192.0.2.1', user.email, user.password)).status).to.equal(200);
    });

    it('when the owner slips a few times and then signs in, then those slips no longer count against the account', async () => {
      const owner = await createUser(t, { role: 'drafter' });
      for (let i = 0; i < 4; i++) await loginFrom('198.51.100.20', owner.email, 'wrong-password!');
      expect((await loginFrom('198.51.100.20', owner.email, owner.password)).status).to.equal(200);
      // one guess from elsewhere and one more slip: six failures in all, but only two are not the owner's
      await loginFrom('203.0.113.20', owner.email, 'wrong-password!');
      await loginFrom('198.51.100.20', owner.email, 'wrong-password!');
      const res = await loginFrom('198.51.100.20', owner.email, owner.password);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
    });

    it('when a guesser rotates addresses within one IPv6 /64, then they count as one address', async () => {
      const user = await createUser(t, { role: 'drafter' });
      expect((await loginFrom('2001:db8:7:a::1', user.email, user.password)).status).to.equal(200);
      // a /64 is what one subscriber gets: its 2^64 addresses must not each bring a fresh allowance
      for (let i = 1; i <= 5; i++) expectError(await loginFrom(`2001:db8:7:9::${i.toString(16)}`, user.email, 'wrong-password!'), 401, 'unauthenticated');
      expectError(await loginFrom('2001:db8:7:9:ffff::99', user.email, 'wrong-password!'), 429, 'too_many_requests');
      // another subscriber's network is another address
      expect((await loginFrom('2001:db8:7:a::1', user.email, user.password)).status).to.equal(200);
    });

    it('when IPv4 clients arrive written as IPv4-mapped IPv6, then each still counts as its own address', async () => {
      const owner = await createUser(t, { role: 'drafter' });
      expect((await loginFrom('198.51.100.9', owner.email, owner.password)).status).to.equal(200);
      for (let i = 0; i < 8; i++) await loginFrom('::ffff:203.0.113.5', owner.email, 'wrong-password!');
      expectError(await loginFrom('203.0.113.5', owner.email, owner.password), 429, 'too_many_requests');
      expect((await loginFrom('::ffff:198.51.100.9', owner.email, owner.password)).status).to.equal(200);
    });

    it('when another client address arrives through the proxy, then it is not held back by the first one', async () => {
      const user = await createUser(t, { role: 'drafter' });
      const res = await request(t.app)
        .post('/api/auth/login')
        .set('X-Forwarded-For', '203.0.113.99')
        .send({ email: user.email, password: user.password });
      expect(res.status).to.equal(200);
      expect(res.body.user.email).to.equal(user.email);
    });
  });
});
