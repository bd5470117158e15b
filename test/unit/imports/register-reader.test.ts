import { expect } from 'chai';
import { createRegisterReader, readAbandoned } from '../../../domain/imports/register-reader.js';
import { REGISTER_COLUMNS } from '../../../domain/imports/register-columns.js';
import { AppError } from '../../../domain/errors.js';
import { rejectionOf } from '../../support/errors.js';

const header = REGISTER_COLUMNS.map((c) => c.key).join(',');
const csv = (rows: number) => ({ buffer: Buffer.from([header, ...Array.from({ length: rows }, (_, i) => `R-${i + 1}`)].join('\n')), name: 'register.csv' });

const refusal = (p: Promise<unknown>) => rejectionOf(p, AppError);

describe('register reader: register files read in worker threads', function () {
  this.timeout(60_000);

  it('when a file is read, then its rows come back as read-register reads them, and a refusal inside the worker comes back as the same AppError', async () => {
    const reader = createRegisterReader({ memoryMb: 256, concurrent: 1 });
    try {
      const register = await reader.read(csv(3));
      expect(register.rows.map((r) => [r.__row, r.code])).to.deep.equal([['2', 'R-1'], ['3', 'R-2'], ['4', 'R-3']]);
      const bad = await refusal(reader.read({ buffer: Buffer.from('not,a,register\n1,2,3'), name: 'x.csv' }));
      expect(bad.code).to.equal('validation_failed');
      expect(bad.message).to.match(/does not match the template/).and.to.match(/tidak sesuai templat/);
    } finally {
      await reader.close();
    }
  });

  it('when a read outlasts its time limit, then it is refused as too slow in both languages, with advice for its kind of file', async () => {
    const reader = createRegisterReader({ memoryMb: 256, concurrent: 1, timeoutMs: 1 });
    try {
      // no worker can start and answer within a millisecond
      const slow = await refusal(reader.read({ ...csv(1), name: 'register.xlsx' }));
      expect(slow.code).to.equal('unprocessable');
      expect(slow.details).to.deep.equal({ reason: 'too_slow', limitSeconds: 0 });
      expect(slow.message).to.match(/took longer than/).and.to.match(/memakan waktu lebih dari/).and.to.match(/as CSV/);
      const slowCsv = await refusal(reader.read(csv(1)));
      expect(slowCsv.message).to.match(/split the register into several files/).and.to.match(/bagi register menjadi beberapa berkas/);
    } finally {
      await reader.close();
    }
  });

  it('when more files arrive than may run and wait, then the one past the line is refused at once with 503 and a retry time, and the others are read in turn', async () => {
    const reader = createRegisterReader({ memoryMb: 256, concurrent: 1, maxWaiting: 1 });
    try {
      const [first, second, third] = await Promise.allSettled([reader.read(csv(1)), reader.read(csv(2)), reader.read(csv(3))]);
      expect(third.status).to.equal('rejected');
      const busy = (third as PromiseRejectedResult).reason as AppError;
      expect(busy.code).to.equal('unavailable');
      expect(busy.details).to.deep.equal({ retryAfterSeconds: 10 });
      expect(busy.message).to.match(/busy reading other registers/).and.to.match(/sibuk membaca register lain/);
      expect(first.status === 'fulfilled' && first.value.rows.length).to.equal(1);
      expect(second.status === 'fulfilled' && second.value.rows.length).to.equal(2);
    } finally {
      await reader.close();
    }
  });

  it('when the asker of a running read goes away, then its worker is ended and the read fails as abandoned, and the next file gets the place at once', async () => {
    const reader = createRegisterReader({ memoryMb: 256, concurrent: 1 });
    try {
      const asker = new AbortController();
      const running = reader.read(csv(2000), { signal: asker.signal });
      const next = reader.read(csv(2));
      // no worker can have started and answered before this line runs
      asker.abort();
      const abandoned = await refusal(running);
      expect(abandoned.code).to.equal('bad_request');
      expect(abandoned.details).to.deep.equal({ reason: 'abandoned' });
      expect(abandoned.message).to.match(/closed before the register was read/).and.to.match(/ditutup sebelum register selesai dibaca/);
      expect((await next).rows.map((r) => r.code)).to.deep.equal(['R-1', 'R-2']);
    } finally {
      await reader.close();
    }
  });

  it('when the asker of a waiting read goes away, then it leaves the line without a worker, and the files behind it are read in turn', async () => {
    const reader = createRegisterReader({ memoryMb: 256, concurrent: 1, maxWaiting: 2 });
    try {
      const first = reader.read(csv(1));
      const asker = new AbortController();
      const waiting = reader.read(csv(5), { signal: asker.signal });
      const behind = reader.read(csv(3));
      asker.abort();
      expect((await refusal(waiting)).details).to.deep.equal({ reason: 'abandoned' });
      // the line has room again: a further file waits instead of being refused as busy
      const further = reader.read(csv(4));
      const rows = await Promise.all([first, behind, further]);
      expect(rows.map((r) => r.rows.length)).to.deep.equal([1, 3, 4]);
      // an asker already gone gets no turn at all
      const gone = new AbortController();
      gone.abort();
      expect((await refusal(reader.read(csv(1), { signal: gone.signal }))).message).to.equal(readAbandoned().message);
    } finally {
      await reader.close();
    }
  });

  it('when the reader is closed, then a read about to start and one waiting both fail instead of starting a worker', async () => {
    const reader = createRegisterReader({ memoryMb: 256, concurrent: 1 });
    const running = reader.read(csv(1));
    const waiting = reader.read(csv(1));
    await reader.close();
    const [a, b] = await Promise.allSettled([running, waiting]);
    expect([a.status, b.status]).to.deep.equal(['rejected', 'rejected']);
  });
});
