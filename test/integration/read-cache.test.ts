/**
 * Read caches (models/read-cache.ts): a reader never keeps seeing data that changed.
 * Same instance: at once. Another instance, or a write that bypasses the models: as soon as the
 * change stream delivers it (polled here for up to 5 s). On a MongoDB without change streams the
 * caches stay off and every assertion holds at once.
 */
import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { loginAs } from '../support/users.js';
import { bearer, createAgreementVia, moveVia, patchVia } from '../support/agreements.js';

async function eventually<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('read caches', function () {
  this.timeout(30_000);
  let a: TestApp;
  let b: TestApp;
  let drafterA: { token: string };
  let drafterB: { token: string };

  before(async () => {
    const uri = await testMongoUri('read_cache');
    a = await createTestApp({ mongoUri: uri });
    b = await createTestApp({ mongoUri: uri });
    drafterA = await loginAs(a, 'drafter');
    drafterB = await loginAs(b, 'drafter');
  });
  after(async () => {
    await b?.close();
    await a?.close();
  });

  const get = (t: TestApp, token: string, id: string) => request(t.app).get(`/api/agreements/${id}`).set(bearer(token));

  it('given an agreement read on this instance, when it is moved and edited here, then the next read shows each change at once', async () => {
    const created = await createAgreementVia(a, drafterA.token);
    for (let i = 0; i < 5; i++) expect((await get(a, drafterA.token, created.id)).body.version).to.equal(1);
    await moveVia(a, drafterA.token, created.id, 'negotiation');
    const afterMove = await get(a, drafterA.token, created.id);
    expect(afterMove.body.stage).to.equal('negotiation');
    expect(afterMove.body.version).to.equal(2);
    await patchVia(a, drafterA.token, created.id, { title: { id: 'Judul baru', en: 'New title' } });
    const afterPatch = await get(a, drafterA.token, created.id);
    expect(afterPatch.body.title.en).to.equal('New title');
    expect(afterPatch.body.version).to.equal(3);
    const list = await request(a.app).get('/api/agreements?q=new%20title').set(bearer(drafterA.token));
    expect(list.body.items.map((x: { id: string; version: number }) => [x.id, x.version])).to.deep.include([created.id, 3]);
  });

  it('given an agreement read on instance A, when instance B changes it, then A shows the change as soon as it is delivered', async () => {
    const created = await createAgreementVia(a, drafterA.token);
    expect((await get(a, drafterA.token, created.id)).body.stage).to.equal('drafting');
    expect((await request(a.app).get('/api/agreements?stage=drafting&limit=100').set(bearer(drafterA.token))).body.items.some((x: { id: string }) => x.id === created.id)).to.equal(true);
    await moveVia(b, drafterB.token, created.id, 'negotiation');
    const seen = await eventually(
      () => get(a, drafterA.token, created.id),
      (r) => r.body.stage === 'negotiation',
    );
    expect(seen.body.stage).to.equal('negotiation');
    expect(seen.body.version).to.equal(2);
    const row = await eventually(
      () => request(a.app).get('/api/agreements?stage=negotiation&limit=100').set(bearer(drafterA.token)),
      (r) => r.body.items.some((x: { id: string }) => x.id === created.id),
    );
    expect(row.body.items.find((x: { id: string }) => x.id === created.id).version).to.equal(2);
  });

  it('given an agreement read through the cache, when the database is changed without the models (another tool), then the change is shown once delivered', async () => {
    const created = await createAgreementVia(a, drafterA.token);
    expect((await get(a, drafterA.token, created.id)).body.title.en).to.not.equal('Changed outside');
    await a.ctx.models.Agreement.collection.updateOne({ _id: new Types.ObjectId(created.id) }, { $set: { 'title.en': 'Changed outside' }, $inc: { version: 1 } });
    const seen = await eventually(
      () => get(a, drafterA.token, created.id),
      (r) => r.body.title.en === 'Changed outside',
    );
    expect(seen.body.title.en).to.equal('Changed outside');
    expect(seen.body.version).to.equal(2);
  });

  it('given a token used on both instances, when instance B deletes its user without the models, then A answers 401 once delivered', async () => {
    const victim = await loginAs(a, 'diplomat');
    expect((await request(a.app).get('/api/me').set(bearer(victim.token))).status).to.equal(200);
    expect((await request(b.app).get('/api/me').set(bearer(victim.token))).status).to.equal(200);
    await b.ctx.models.User.collection.deleteOne({ _id: new Types.ObjectId(victim.user.id) });
    const res = await eventually(
      () => request(a.app).get('/api/me').set(bearer(victim.token)),
      (r) => r.status === 401,
    );
    expect(res.status).to.equal(401);
    expect(res.body.error.code).to.equal('unauthenticated');
  });

  it('given a token read through the cache, when the user logs out on the other instance, then this one answers 401 once delivered', async () => {
    const user = await loginAs(a, 'auditor');
    expect((await request(a.app).get('/api/me').set(bearer(user.token))).status).to.equal(200);
    expect((await request(b.app).post('/api/auth/logout').set(bearer(user.token))).status).to.equal(204);
    const res = await eventually(
      () => request(a.app).get('/api/me').set(bearer(user.token)),
      (r) => r.status === 401,
    );
    expect(res.status).to.equal(401);
  });

  it('given a role changed by an admin, when the user calls again on the same instance, then the new role applies at once', async () => {
    const admin = await loginAs(a, 'admin');
    const user = await loginAs(a, 'drafter');
    expect((await request(a.app).get('/api/me').set(bearer(user.token))).body.role).to.equal('drafter');
    const patch = await request(a.app).patch(`/api/users/${user.user.id}`).set(bearer(admin.token)).send({ role: 'diplomat' });
    expect(patch.status).to.equal(200);
    expect((await request(a.app).get('/api/me').set(bearer(user.token))).body.role).to.equal('diplomat');
    const create = await request(a.app).post('/api/agreements').set(bearer(user.token)).send({});
    expect(create.status).to.equal(403);
    expect(create.body.error.code).to.equal('forbidden');
  });

  it('given a load that overlaps a change of its document, when the load ends, then its answer is not kept', async () => {
    const created = await createAgreementVia(a, drafterA.token);
    const cache = a.ctx.services.readCaches!.agreements;
    expect(cache.usable).to.equal(true);
    let loads = 0;
    const stale = { _id: new Types.ObjectId(created.id), version: 1 } as never;
    await cache.get(created.id, async () => {
      loads++;
      // the change is announced while this load is in flight
      await a.ctx.models.Agreement.updateOne({ _id: created.id }, { $set: { 'title.en': 'Changed during the load' }, $inc: { version: 1 } });
      return stale;
    });
    const again = await cache.get(created.id, async () => {
      loads++;
      return a.ctx.models.Agreement.findById(created.id).lean() as never;
    });
    expect(loads).to.equal(2);
    expect((again as unknown as { version: number }).version).to.equal(2);
    // Once the change stream has delivered that change too, a fresh load is kept: reads stop loading.
    const fresh = () => a.ctx.models.Agreement.findById(created.id).lean() as never;
    let kept = false;
    for (let i = 0; i < 200 && !kept; i++) {
      const before = loads;
      await cache.get(created.id, async () => {
        loads++;
        return fresh();
      });
      kept = loads === before;
      if (!kept) await new Promise((r) => setTimeout(r, 25));
    }
    expect(kept).to.equal(true);
    const served = (await cache.get(created.id, fresh)) as unknown as { version: number; title: { en: string } };
    expect(served.version).to.equal(2);
    expect(served.title.en).to.equal('Changed during the load');
  });

  it('given the read caches stopped (as when change streams fail), when the database changes behind the models, then the very next read shows it', async () => {
    const c = await createTestApp({ label: 'read_cache_stopped' });
    try {
      const drafter = await loginAs(c, 'drafter');
      const created = await createAgreementVia(c, drafter.token);
      await c.ctx.services.readCaches!.tracker.close();
      expect((await get(c, drafter.token, created.id)).body.version).to.equal(1);
      await c.ctx.models.Agreement.collection.updateOne({ _id: new Types.ObjectId(created.id) }, { $set: { 'title.en': 'Seen at once' }, $inc: { version: 1 } });
      const res = await get(c, drafter.token, created.id);
      expect(res.body.title.en).to.equal('Seen at once');
      expect(res.body.version).to.equal(2);
    } finally {
      await c.close();
    }
  });

  it('given READ_CACHE_SIZE=0, when the database changes behind the models, then the very next read shows it', async () => {
    const c = await createTestApp({ label: 'read_cache_off', env: { READ_CACHE_SIZE: '0' } });
    try {
      const drafter = await loginAs(c, 'drafter');
      const created = await createAgreementVia(c, drafter.token);
      expect((await get(c, drafter.token, created.id)).body.version).to.equal(1);
      await c.ctx.models.Agreement.collection.updateOne({ _id: new Types.ObjectId(created.id) }, { $set: { 'title.en': 'No cache' }, $inc: { version: 1 } });
      expect((await get(c, drafter.token, created.id)).body.title.en).to.equal('No cache');
    } finally {
      await c.close();
    }
  });

  it('given READ_CACHE_SIZE that is not a number, when the service starts, then configuration names the setting', async () => {
    const { loadConfig } = await import('../../lib/config.js');
    expect(() => loadConfig({ READ_CACHE_SIZE: 'lots' })).to.throw(/READ_CACHE_SIZE/);
    expect(() => loadConfig({ READ_CACHE_SIZE: '-1' })).to.throw(/READ_CACHE_SIZE/);
  });
});
