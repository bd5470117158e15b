import { expect } from 'chai';
import * as BSON from 'bson';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../embedded-mongo/index.js';
import { OP_MSG, OP_REPLY, WireClient, command, msgBody, newRequestId, opMsg, opQuery, replyDoc } from './wire-helpers.js';

describe('embedded-mongo wire protocol', function () {
  let db: EmbeddedMongo;
  const clients: WireClient[] = [];
  const client = async () => {
    const c = await WireClient.connect(db.port);
    clients.push(c);
    return c;
  };

  before(async () => {
    db = await startEmbeddedMongo({});
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  after(async () => {
    await db.stop();
  });

  it('answers a legacy OP_QUERY hello with an OP_REPLY', async () => {
    const c = await client();
    const id = newRequestId();
    c.write(opQuery(id, 'admin.$cmd', { ismaster: 1, helloOk: true, client: { driver: { name: 'test', version: '0' } }, compression: ['none'] }));
    const f = await c.next();
    expect(f, 'reply').to.not.equal(undefined);
    expect(f!.opCode).to.equal(OP_REPLY);
    expect(f!.responseTo).to.equal(id);
    const r = replyDoc(f!);
    expect(r.numberReturned).to.equal(1);
    expect(r.cursorId).to.equal(0n);
    expect(r.doc.ok).to.equal(1);
    expect(r.doc.ismaster).to.equal(true);
    expect(r.doc.isWritablePrimary).to.equal(true);
    expect(r.doc.maxWireVersion).to.be.at.least(9);
    expect(r.doc.logicalSessionTimeoutMinutes).to.be.a('number');
    expect(r.doc.setName).to.equal('rs0');
    expect(r.doc.hosts).to.deep.equal([`127.0.0.1:${db.port}`]);
    expect(r.doc.primary).to.equal(`127.0.0.1:${db.port}`);
    expect(r.doc).to.not.have.property('topologyVersion');
    expect(r.doc).to.not.have.property('compression');
  });

  it('answers OP_MSG hello and ping', async () => {
    const c = await client();
    const h = await command(c, { hello: 1 }, 'admin');
    expect(h.isWritablePrimary).to.equal(true);
    expect(h.helloOk).to.equal(true);
    expect(await command(c, { ping: 1 }, 'admin')).to.include({ ok: 1 });
  });

  it('accepts kind-1 document sequences', async () => {
    const c = await client();
    const id = newRequestId();
    c.write(opMsg(id, [
      { kind: 0, doc: { insert: 'seq', $db: 'wiretest', ordered: true } },
      { kind: 1, id: 'documents', docs: [{ _id: 1, a: 'x' }, { _id: 2, a: 'y' }, { _id: 3, a: 'z' }] },
    ]));
    const f = await c.next();
    expect(f!.opCode).to.equal(OP_MSG);
    expect(f!.responseTo).to.equal(id);
    expect(msgBody(f!)).to.include({ n: 3, ok: 1 });
    const found = await command(c, { find: 'seq', filter: {}, sort: { _id: 1 } });
    expect(found.cursor.firstBatch.map((d: BSON.Document) => d.a)).to.deep.equal(['x', 'y', 'z']);
  });

  it('accepts a message with the checksum flag (CRC-32C appended)', async () => {
    const c = await client();
    const id = newRequestId();
    c.write(opMsg(id, [{ kind: 0, doc: { ping: 1, $db: 'admin' } }], 1));
    const f = await c.next();
    expect(f!.responseTo).to.equal(id);
    expect(msgBody(f!).ok).to.equal(1);
  });

  it('does not reply to moreToCome (w:0) but applies the write', async () => {
    const c = await client();
    const id = newRequestId();
    c.write(opMsg(id, [{ kind: 0, doc: { insert: 'w0', documents: [{ _id: 'fire-and-forget' }], writeConcern: { w: 0 }, $db: 'wiretest' } }], 2));
    expect(await c.next(300), 'no reply to a moreToCome message').to.equal(undefined);
    const found = await command(c, { find: 'w0', filter: { _id: 'fire-and-forget' } });
    expect(found.cursor.firstBatch).to.have.length(1);
  });

  it('reassembles frames split across TCP chunks', async () => {
    const c = await client();
    const id = newRequestId();
    const msg = opMsg(id, [{ kind: 0, doc: { ping: 1, $db: 'admin', pad: 'x'.repeat(500) } }]);
    for (let i = 0; i < msg.length; i += 7) {
      c.write(msg.subarray(i, i + 7));
      await new Promise((r) => setImmediate(r));
    }
    const f = await c.next();
    expect(f!.responseTo).to.equal(id);
    expect(msgBody(f!).ok).to.equal(1);
  });

  it('answers frames coalesced in one TCP chunk, in order', async () => {
    const c = await client();
    const ids = [newRequestId(), newRequestId(), newRequestId()];
    c.write(Buffer.concat([
      opMsg(ids[0], [{ kind: 0, doc: { insert: 'co', documents: [{ _id: 1 }], $db: 'wiretest' } }]),
      opMsg(ids[1], [{ kind: 0, doc: { insert: 'co', documents: [{ _id: 2 }], $db: 'wiretest' } }]),
      opMsg(ids[2], [{ kind: 0, doc: { count: 'co', $db: 'wiretest' } }]),
    ]));
    const replies = [await c.next(), await c.next(), await c.next()];
    expect(replies.map((f) => f!.responseTo)).to.deep.equal(ids);
    expect(msgBody(replies[2]!).n).to.equal(2);
  });

  it('uses Int64 cursor ids for find/getMore/killCursors', async () => {
    const c = await client();
    await command(c, { insert: 'cur', documents: Array.from({ length: 10 }, (_, i) => ({ _id: i })) });
    const first = await command(c, { find: 'cur', filter: {}, sort: { _id: 1 }, batchSize: 3 });
    const id = first.cursor.id;
    expect(id).to.be.instanceOf(BSON.Long);
    expect(id.isZero()).to.equal(false);
    expect(first.cursor.ns).to.equal('wiretest.cur');
    expect(first.cursor.firstBatch.map((d: BSON.Document) => d._id)).to.deep.equal([0, 1, 2]);
    const more = await command(c, { getMore: id, collection: 'cur', batchSize: 3 });
    expect(more.cursor.id).to.be.instanceOf(BSON.Long);
    expect(more.cursor.nextBatch.map((d: BSON.Document) => d._id)).to.deep.equal([3, 4, 5]);
    const killed = await command(c, { killCursors: 'cur', cursors: [id] });
    expect(killed.cursorsKilled).to.have.length(1);
    const gone = await command(c, { getMore: id, collection: 'cur' });
    expect(gone).to.include({ ok: 0, code: 43, codeName: 'CursorNotFound' });
    // an exhausted cursor reports id 0 as a Long too
    const all = await command(c, { find: 'cur', filter: {} });
    expect(all.cursor.id).to.be.instanceOf(BSON.Long);
    expect(all.cursor.id.isZero()).to.equal(true);
  });

  it('answers unknown commands with CommandNotFound (59)', async () => {
    const c = await client();
    const r = await command(c, { frobnicate: 1 });
    expect(r).to.include({ ok: 0, code: 59, codeName: 'CommandNotFound', errmsg: "no such command: 'frobnicate'" });
  });

  describe('bad input', () => {
    async function assertOtherClientsServed() {
      const other = await client();
      expect(await command(other, { ping: 1 }, 'admin')).to.include({ ok: 1 });
    }

    it('closes the connection on a truncated frame', async () => {
      const c = await client();
      const msg = opMsg(newRequestId(), [{ kind: 0, doc: { ping: 1, $db: 'admin' } }]);
      c.write(msg.subarray(0, msg.length - 5));
      c.socket.end();
      expect(await c.next(300)).to.equal(undefined);
      await assertOtherClientsServed();
    });

    it('closes the connection on a frame whose sections overrun it', async () => {
      const c = await client();
      const msg = opMsg(newRequestId(), [{ kind: 0, doc: { ping: 1, $db: 'admin' } }]);
      msg.writeInt32LE(msg.length - 6, 0); // header length cuts the BSON body short
      c.write(msg.subarray(0, msg.length - 6));
      const f = await c.next(1000);
      if (f) expect(msgBody(f).ok).to.equal(0);
      else expect(await c.waitClosed()).to.equal(true);
      await assertOtherClientsServed();
    });

    it('closes the connection on an unknown opcode', async () => {
      const c = await client();
      const msg = opMsg(newRequestId(), [{ kind: 0, doc: { ping: 1, $db: 'admin' } }]);
      msg.writeInt32LE(9999, 12);
      c.write(msg);
      expect(await c.waitClosed()).to.equal(true);
      await assertOtherClientsServed();
    });

    it('closes the connection when a message declares more than 48 MB', async () => {
      const c = await client();
      const head = Buffer.alloc(16);
      head.writeInt32LE(48 * 1024 * 1024 + 1, 0);
      head.writeInt32LE(newRequestId(), 4);
      head.writeInt32LE(OP_MSG, 12);
      c.write(head);
      expect(await c.waitClosed()).to.equal(true);
      await assertOtherClientsServed();
    });

    it('closes the connection on a negative or tiny length', async () => {
      const c = await client();
      const head = Buffer.alloc(16);
      head.writeInt32LE(3, 0);
      c.write(head);
      expect(await c.waitClosed()).to.equal(true);
      await assertOtherClientsServed();
    });

    it('answers invalid BSON with an error (or closes), and keeps serving', async () => {
      const c = await client();
      const id = newRequestId();
      const msg = opMsg(id, [{ kind: 0, doc: { ping: 1, $db: 'admin', s: 'abcdef' } }]);
      // corrupt the string length inside the BSON body
      const at = msg.indexOf(Buffer.from('s\0', 'latin1'), 21) + 2;
      msg.writeInt32LE(0x7ffffff0, at);
      c.write(msg);
      const f = await c.next(1000);
      if (f) {
        const body = msgBody(f);
        expect(body.ok).to.equal(0);
        expect(body.code).to.equal(22);
        expect(f.responseTo).to.equal(id);
        // the connection is still usable
        expect(await command(c, { ping: 1 }, 'admin')).to.include({ ok: 1 });
      } else expect(await c.waitClosed()).to.equal(true);
      await assertOtherClientsServed();
    });

    it('closes the connection on an unknown section kind or OP_COMPRESSED', async () => {
      const c = await client();
      const msg = opMsg(newRequestId(), [{ kind: 0, doc: { ping: 1, $db: 'admin' } }]);
      msg[20] = 7;
      c.write(msg);
      expect(await c.waitClosed()).to.equal(true);
      const c2 = await client();
      const comp = opMsg(newRequestId(), [{ kind: 0, doc: { ping: 1, $db: 'admin' } }]);
      comp.writeInt32LE(2012, 12);
      c2.write(comp);
      expect(await c2.waitClosed()).to.equal(true);
      await assertOtherClientsServed();
    });

    it('survives garbage and abrupt disconnects', async () => {
      for (let i = 0; i < 20; i++) {
        const c = await client();
        const junk = Buffer.alloc(64 + i * 13);
        for (let j = 0; j < junk.length; j++) junk[j] = (j * 7919 + i * 31) & 0xff;
        junk.writeInt32LE(junk.length, 0);
        junk.writeInt32LE(OP_MSG, 12);
        c.write(junk);
        if (i % 2) c.close();
      }
      await new Promise((r) => setTimeout(r, 100));
      await assertOtherClientsServed();
    });
  });
});
