/**
 * What the administration page needs from the API to tell an admin the truth: which shipped
 * holidays were removed (so they can be put back, and read as shipped again once they are), and
 * why a change to the last active admin was refused.
 */
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { loginAs } from '../support/users.js';
import { bearer } from '../support/agreements.js';

describe('administration: restoring shipped holidays and refusals of the last admin', () => {
  let t: TestApp;
  let admin: { token: string; user: { id: string } };

  before(async () => {
    t = await createTestApp({ label: 'admin-polish' });
    admin = await loginAs(t, 'admin');
  });
  after(async () => t?.close());

  const year2026 = async () => (await request(t.app).get('/api/holidays').query({ year: 2026 }).set(bearer(admin.token))).body;

  it('when an admin removes a shipped holiday, then the year lists it as removed, as shipped, and adding it again as shipped makes it a shipped day again', async () => {
    const independence = (await year2026()).days.find((d: any) => d.date === '2026-08-17');
    expect(independence).to.include({ source: 'file', kind: 'holiday' });
    expect((await year2026()).removed).to.deep.equal([]);

    expect((await request(t.app).delete('/api/holidays/2026-08-17').set(bearer(admin.token))).status).to.equal(200);
    const after = await year2026();
    expect(after.days.map((d: any) => d.date)).not.to.include('2026-08-17');
    expect(after.removed).to.deep.equal([independence]);

    const restore = await request(t.app).post('/api/holidays').set(bearer(admin.token)).send({ date: '2026-08-17', kind: independence.kind, name: independence.name });
    expect(restore.status).to.equal(201);
    expect(restore.body).to.include({ source: 'file' });
    const restored = await year2026();
    expect(restored.days.find((d: any) => d.date === '2026-08-17')).to.deep.equal(independence);
    expect(restored.removed).to.deep.equal([]);
    expect(await t.ctx.models.Holiday.countDocuments({ date: '2026-08-17' })).to.equal(0);
  });

  it('when an admin replaces a shipped holiday with other words, then it stays an admin entry and is not listed as removed', async () => {
    const add = await request(t.app).post('/api/holidays').set(bearer(admin.token)).send({ date: '2026-12-25', kind: 'holiday', name: { id: 'Natal (diganti)', en: 'Christmas (replaced)' } });
    expect(add.status).to.equal(201);
    const year = await year2026();
    expect(year.days.find((d: any) => d.date === '2026-12-25')).to.include({ source: 'admin' });
    expect(year.removed).to.deep.equal([]);
  });

  it('when the last active admin would be disabled or given another role, then the refusal says so, not that the account would be deleted', async () => {
    const t2 = await createTestApp({ label: 'admin-polish-last' });
    try {
      const only = await loginAs(t2, 'admin');
      const disable = await request(t2.app).patch(`/api/users/${only.user.id}`).set(bearer(only.token)).send({ disabled: true });
      expect(disable.status).to.equal(409);
      expect(disable.body.error.message).to.equal('The last active admin cannot be disabled: enable or add another admin first / Admin aktif terakhir tidak dapat dinonaktifkan: aktifkan atau tambahkan admin lain terlebih dahulu');
      const demote = await request(t2.app).patch(`/api/users/${only.user.id}`).set(bearer(only.token)).send({ role: 'diplomat' });
      expect(demote.status).to.equal(409);
      expect(demote.body.error.message).to.equal('The last active admin cannot be given another role: enable or add another admin first / Peran admin aktif terakhir tidak dapat diubah: aktifkan atau tambahkan admin lain terlebih dahulu');
      const remove = await request(t2.app).delete(`/api/users/${only.user.id}`).set(bearer(only.token));
      expect(remove.status).to.equal(409);
      expect(remove.body.error.message).to.equal('The last active admin cannot be deleted / Admin aktif terakhir tidak dapat dihapus');
      // nothing of it happened: still the one active admin
      const still = await request(t2.app).get('/api/me').set(bearer(only.token)).expect(200);
      expect(still.body).to.include({ role: 'admin' });
      expect(still.body.disabled ?? false).to.equal(false);
    } finally {
      await t2.close();
    }
  });
});
