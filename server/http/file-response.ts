import { pipeline } from 'node:stream/promises';
import type { Request, Response } from 'express';
import { AppError } from '../../domain/errors.js';
import type { FileToSend } from '../../domain/documents/file-to-send.js';

/**
 * `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / RFC 5987): old
 * clients get a safe ASCII name, new ones the real one; quotes, backslashes and control
 * characters never reach the header.
 */
export function contentDisposition(fileName: string, type: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/**
 * One byte range from a Range header, per RFC 9110: undefined means "send everything" (no
 * header, another unit, several ranges, or a malformed header, all of which may be ignored);
 * 'unsatisfiable' means 416.
 */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m) return undefined;
  const [, a, b] = m;
  if (a === '' && b === '') return undefined;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(a);
  const end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  if (b !== '' && Number(b) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return { start, end };
}

/** True when an If-None-Match list names the tag (weak comparison, as RFC 9110 asks for it). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends a stored file with ETag, conditional GET (304), single ranges (206/416) and a safe file
 * name. Every response that carries content (whole file or any range) is handed to the domain's
 * recordDownload before the first byte leaves, which decides whether it starts a reading to
 * record; 304, HEAD and 416 send no content and are not handed over.
 */
export async function sendFile(req: Request, res: Response, file: FileToSend): Promise<void> {
  res.once('close', () => void file.dispose?.().catch(() => {}));
  const etag = file.sha256 ? `"${file.sha256}"` : undefined;
  // access-checked content: never stored by shared caches, always revalidated by the browser
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Accept-Ranges', 'bytes');
  if (etag) res.setHeader('ETag', etag);

  if (etag && matchesIfNoneMatch(req.get('if-none-match'), etag)) {
    res.status(304).end();
    return;
  }

  const ifRange = req.get('if-range');
  const rangeAllowed = !ifRange || (etag !== undefined && ifRange.trim() === etag);
  const range = rangeAllowed ? parseRange(req.get('range'), file.size) : undefined;
  if (range === 'unsatisfiable') {
    // the error body is JSON: no PDF headers may have been set before this point
    res.setHeader('Content-Range', `bytes */${file.size}`);
    throw new AppError('range_not_satisfiable', 'The requested range is outside the file / Rentang yang diminta di luar berkas', { size: file.size });
  }
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', contentDisposition(file.fileName));

  if (req.method === 'HEAD') {
    res.setHeader('Content-Length', String(range ? range.end - range.start + 1 : file.size));
    res.status(range ? 206 : 200).end();
    return;
  }
  // Handed over whatever the range, since one starting past byte 0 can hold the whole text just
  // as well: the domain decides what is a new reading.
  await file.recordDownload(range ? { ...range, size: file.size } : undefined);

  if (range) {
    res.status(206);
    res.setHeader('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
    res.setHeader('Content-Length', String(range.end - range.start + 1));
  } else {
    res.status(200);
    res.setHeader('Content-Length', String(file.size));
  }
  const stream = file.open(range);
  try {
    await pipeline(stream, res);
  } catch (err) {
    // the client went away, or storage failed mid-file: nothing sensible can follow the bytes sent
    if (!res.headersSent) {
      for (const h of ['Content-Type', 'Content-Length', 'Content-Range', 'Content-Disposition', 'ETag', 'Accept-Ranges']) res.removeHeader(h);
      throw err;
    }
    res.destroy();
  }
}
