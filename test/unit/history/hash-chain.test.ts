import { expect } from 'chai';
import { Types } from 'mongoose';
import { canonicalJson, GENESIS_HASH, hashEvent } from '../../../domain/history/hash-chain.js';
import { checkLink } from '../../../domain/history/verify-history.js';
import type { HistoryEventRecord } from '../../../models/history-event.js';

function chain(n: number): HistoryEventRecord[] {
  const agreementId = new Types.ObjectId();
  const events: HistoryEventRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const fields = {
      agreementId: String(agreementId),
      seq,
      at: new Date(Date.UTC(2022, 0, seq)),
      actor: { id: 'u1', email: 'a@b.c', name: 'A' },
      role: 'drafter',
      action: 'transition',
      changes: { from: 'drafting', to: 'negotiation', note: `step ${seq}` },
      prevHash,
    };
    const hash = hashEvent(fields);
    events.push({ ...fields, _id: new Types.ObjectId(), agreementId, hash });
    prevHash = hash;
  }
  return events;
}

describe('history: hash chain', () => {
  it('when keys are given in another order, then the canonical JSON is the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).to.equal(canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }));
  });

  it('when an event is hashed twice, then the hash is the same 64-hex SHA-256', () => {
    const [e] = chain(1);
    expect(e.hash).to.match(/^[0-9a-f]{64}$/);
    expect(hashEvent({ ...e, agreementId: String(e.agreementId) })).to.equal(e.hash);
  });

  it('when a chain is untouched, then every link checks', () => {
    const events = chain(4);
    let prev = GENESIS_HASH;
    events.forEach((e, i) => {
      expect(checkLink(e, i + 1, prev)).to.equal(undefined);
      prev = e.hash;
    });
  });

  it('when a note inside changes is edited, then that event fails with hash_mismatch', () => {
    const events = chain(3);
    events[1].changes = { ...events[1].changes, note: 'rewritten' };
    expect(checkLink(events[1], 2, events[0].hash)).to.equal('hash_mismatch');
  });

  it('when an event is removed, then the next one fails on its sequence number', () => {
    const events = chain(3);
    expect(checkLink(events[2], 2, events[0].hash)).to.equal('sequence_gap');
  });

  it('when an event is rehashed after editing, then the next one fails on prevHash', () => {
    const events = chain(3);
    const edited = { ...events[1], role: 'admin' };
    edited.hash = hashEvent({ ...edited, agreementId: String(edited.agreementId) });
    expect(checkLink(edited, 2, events[0].hash)).to.equal(undefined);
    expect(checkLink(events[2], 3, edited.hash)).to.equal('prev_hash_mismatch');
  });
});
