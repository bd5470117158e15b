/**
 * Per-socket framing. Bytes are accumulated as a list of chunks (no quadratic re-concatenation for
 * big frames); each complete frame is handed to the dispatcher, one at a time, so replies go out
 * in request order. Any framing error closes only this socket; nothing here can throw into the
 * event loop.
 */
import type { Socket } from 'node:net';
import { MongoError, asMongoError } from '../errors.js';
import { serialize } from '../bson/codec.js';
import type { Request } from './protocol.js';
import { MAX_MESSAGE_SIZE, OP_MSG, ProtocolError, buildMsg, parseRequest } from './protocol.js';

export type Dispatch = (req: Request, conn: Connection) => Promise<Buffer | null> | Buffer | null;

let nextConnId = 1;

export class Connection {
  readonly id = nextConnId++;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private queue: Buffer[] = [];
  private busy = false;
  closed = false;
  state: Record<string, unknown> = {};

  constructor(readonly socket: Socket, private dispatch: Dispatch, private onClose: (c: Connection) => void) {
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.chunks = [];
    this.queue = [];
    try {
      this.socket.destroy();
    } catch {
      /* already gone */
    }
    this.onClose(this);
  }

  private peekInt32(): number {
    if (this.chunks[0].length >= 4) return this.chunks[0].readInt32LE(0);
    const b = Buffer.concat(this.chunks, Math.min(this.buffered, 4));
    return b.readInt32LE(0);
  }

  private take(n: number): Buffer {
    const first = this.chunks[0];
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.chunks, this.buffered);
      out = all.subarray(0, n);
      this.chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.buffered -= n;
    return out;
  }

  private onData(chunk: Buffer): void {
    try {
      this.receive(chunk);
    } catch {
      this.close(); // never let a framing bug escape into the event loop
    }
  }

  private receive(chunk: Buffer): void {
    if (this.closed) return;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      const len = this.peekInt32();
      if (len < 16 || len > MAX_MESSAGE_SIZE) {
        // Cannot resynchronise a stream with a bogus length: drop the connection.
        this.close();
        return;
      }
      if (this.buffered < len) break;
      this.queue.push(this.take(len));
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length && !this.closed) {
        const frame = this.queue.shift()!;
        const reply = await this.handleFrame(frame);
        if (reply && !this.closed) this.socket.write(reply);
      }
    } catch {
      this.close();
    } finally {
      this.busy = false;
    }
  }

  private async handleFrame(frame: Buffer): Promise<Buffer | null> {
    let req: Request;
    try {
      req = parseRequest(frame);
    } catch (e) {
      if (e instanceof ProtocolError) {
        this.close();
        return null;
      }
      // Content error in a well-framed message: answer it (OP_MSG) so the client sees why.
      const requestId = frame.readInt32LE(4);
      const opCode = frame.readInt32LE(12);
      if (opCode !== OP_MSG) {
        this.close();
        return null;
      }
      const err = e instanceof MongoError ? e : asMongoError(e);
      return buildMsg(requestId, serialize(err.toReply()));
    }
    try {
      return await this.dispatch(req, this);
    } catch (e) {
      const err = asMongoError(e);
      return buildMsg(req.header.requestId, serialize(err.toReply()));
    }
  }
}
