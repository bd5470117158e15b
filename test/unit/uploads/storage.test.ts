import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { DiskStorage } from '../../../uploads/storage/disk-storage.js';
import { TempFiles } from '../../../uploads/temp-files.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('latin1');
}

describe('uploads: disk storage and temporary files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'doc-store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when a finished temporary file is put, then it moves under its key and the temporary name is gone', async () => {
    const temp = new TempFiles(path.join(dir, 'tmp'));
    await temp.init();
    const store = new DiskStorage(path.join(dir, 'files'));
    await store.init();
    const local = temp.path();
    fs.writeFileSync(local, '%PDF-1.7 hello');
    await store.putFile('documents/a1/b2.pdf', local);
    expect(fs.existsSync(local)).to.equal(false);
    expect(await store.stat('documents/a1/b2.pdf')).to.deep.equal({ size: 14 });
    expect(await readAll(store.read('documents/a1/b2.pdf', { start: 9, end: 13 }))).to.equal('hello');
    expect(await temp.list()).to.deep.equal([]);
  });

  it('when a key tries to climb out of the store, then it is refused before touching the disk', async () => {
    const store = new DiskStorage(path.join(dir, 'files'));
    expect(() => store.pathOf('../etc/passwd')).to.throw(/invalid storage key/);
    expect(() => store.pathOf('documents/../../x.pdf')).to.throw(/invalid storage key/);
    expect(() => store.pathOf('/abs.pdf')).to.throw(/invalid storage key/);
  });

  it('when the move fails, then neither the temporary file nor anything under the key remains', async () => {
    const store = new DiskStorage(path.join(dir, 'files'));
    await store.init();
    const local = path.join(dir, 'x.part');
    fs.writeFileSync(local, 'data');
    // a directory where the file should go makes rename fail
    fs.mkdirSync(path.join(dir, 'files', 'documents', 'a1', 'b2.pdf'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'files', 'documents', 'a1', 'b2.pdf', 'occupied'), '');
    let failed = false;
    await store.putFile('documents/a1/b2.pdf', local).catch(() => (failed = true));
    expect(failed).to.equal(true);
    expect(fs.existsSync(local)).to.equal(false);
  });

  it('when the service starts, then temporary files of dead processes and of an earlier run with our pid are removed, a live sibling\'s are kept', async () => {
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    fs.writeFileSync(path.join(tmp, `${process.pid}-leftover.part`), 'x');
    fs.writeFileSync(path.join(tmp, '999999-dead.part'), 'x');
    fs.writeFileSync(path.join(tmp, 'stray.part'), 'x');
    // the parent process (mocha's launcher or the shell) is alive and is not us
    fs.writeFileSync(path.join(tmp, `${process.ppid}-sibling.part`), 'x');
    const removed = await new TempFiles(tmp).init();
    expect(removed).to.equal(3);
    expect(fs.readdirSync(tmp)).to.deep.equal([`${process.ppid}-sibling.part`]);
  });
});
