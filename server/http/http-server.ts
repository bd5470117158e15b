import http from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';
import { errorAnswer } from './error-handler.js';

/**
 * The HTTP server of the app. Requests Node's own parser refuses (malformed request line or
 * headers, headers too large, a request that never finishes arriving) never reach Express: they
 * are answered here in the same error shape, through the same error map.
 */
export function createHttpServer(app: Express, options: http.ServerOptions = {}): http.Server {
  const server = http.createServer(options, app);
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // the client is gone: there is no one to answer
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) {
      socket.destroy();
      return;
    }
    const { status, body } = errorAnswer(err);
    const text = JSON.stringify(body);
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? 'Error'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Connection: close\r\n\r\n' +
        text,
    );
  });
  return server;
}
