/**
 * The worker thread that reads one register file (see register-reader.ts): the file comes in
 * workerData, the rows or the refusal go back as one message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../errors.js';
import { readRegister } from './read-register.js';
import type { WorkerReply } from './register-reader.js';

const { bytes, name } = workerData as { bytes: Uint8Array; name: string };
const reply = (message: WorkerReply) => parentPort!.postMessage(message);

readRegister({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name }).then(
  (register) => reply({ ok: true, register }),
  (err: unknown) => {
    if (err instanceof AppError) reply({ ok: false, refusal: { code: err.code, message: err.message, details: err.details } });
    // out of stack, or a string or array past V8's length limits, inside an async parser: the file's doing
    else if (err instanceof RangeError) reply({ ok: false, tooComplex: true });
    else reply({ ok: false, error: String((err as Error)?.stack ?? err) });
  },
);
