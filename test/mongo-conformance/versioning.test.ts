/** Optimistic concurrency through mongoose: VersionError and the optimisticConcurrency option. */
import { expect } from 'chai';
import mongoose, { Schema, type Model } from 'mongoose';
import { useTarget } from './target.js';
import { rejection } from './util.js';

interface INote {
  title: string;
  tags: string[];
}

describe('mongo conformance: optimistic concurrency', function () {
  const t = useTarget('versioning');
  let Note: Model<INote>;
  let Locked: Model<INote>;

  before(async function () {
    Note = t.conn.model<INote>('Note', new Schema<INote>({ title: String, tags: [String] }), 'notes');
    Locked = t.conn.model<INote>('Locked', new Schema<INote>({ title: String, tags: [String] }, { optimisticConcurrency: true }), 'locked');
    await Promise.all([Note.init(), Locked.init()]);
  });

  it('when a stale copy overwrites an array another copy already changed, then save throws VersionError', async function () {
    const created = await Note.create({ title: 'n', tags: ['a'] });
    const first = (await Note.findById(created._id))!;
    const second = (await Note.findById(created._id))!;
    first.tags.push('b');
    await first.save();
    second.tags = ['z'];
    const err = await rejection(second.save(), 'stale save');
    expect(err).to.be.instanceOf(mongoose.Error.VersionError);
    expect(err.name).to.equal('VersionError');
    const stored = await Note.findById(created._id).lean();
    expect(stored?.tags).to.deep.equal(['a', 'b']);
    expect(stored?.__v).to.equal(1);
  });

  it('when a fresh copy is loaded after the conflict, then its save goes through and bumps the version', async function () {
    const created = await Note.create({ title: 'm', tags: [] });
    const a = (await Note.findById(created._id))!;
    a.tags.push('x');
    await a.save();
    const fresh = (await Note.findById(created._id))!;
    fresh.tags = ['y'];
    await fresh.save();
    const stored = await Note.findById(created._id).lean();
    expect(stored?.tags).to.deep.equal(['y']);
    expect(stored?.__v).to.equal(2);
  });

  it('when optimisticConcurrency is on, then any stale save throws VersionError and the first write stays', async function () {
    const created = await Locked.create({ title: 'orig', tags: [] });
    const a = (await Locked.findById(created._id))!;
    const b = (await Locked.findById(created._id))!;
    a.title = 'A';
    await a.save();
    b.title = 'B';
    const err = await rejection(b.save(), 'stale save');
    expect(err).to.be.instanceOf(mongoose.Error.VersionError);
    const stored = await Locked.findById(created._id).lean();
    expect(stored?.title).to.equal('A');
    expect(stored?.__v).to.equal(1);
  });

  it('when two racing saves start from the same version, then exactly one wins', async function () {
    const created = await Locked.create({ title: 'race', tags: [] });
    const copies = await Promise.all([1, 2, 3, 4].map(() => Locked.findById(created._id)));
    const results = await Promise.allSettled(
      copies.map((doc, i) => {
        doc!.title = `writer-${i}`;
        return doc!.save();
      }),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).to.have.length(1);
    expect(failed).to.have.length(3);
    for (const f of failed) expect(f.reason).to.be.instanceOf(mongoose.Error.VersionError);
    const stored = await Locked.findById(created._id).lean();
    expect(stored?.__v).to.equal(1);
    expect(stored?.title).to.match(/^writer-\d$/);
  });

  it('when the document was deleted underneath a copy, then saving the copy throws DocumentNotFoundError', async function () {
    const created = await Note.create({ title: 'gone', tags: [] });
    const copy = (await Note.findById(created._id))!;
    await Note.deleteOne({ _id: created._id });
    copy.title = 'changed';
    const err = await rejection(copy.save(), 'save of a deleted document');
    expect(err).to.be.instanceOf(mongoose.Error.DocumentNotFoundError);
  });
});
