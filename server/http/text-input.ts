import { isUtf8 } from 'node:buffer';
import querystring from 'node:querystring';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../../domain/errors.js';
import { LONE_SURROGATE, REPLACEMENT_CHARACTER as REPLACEMENT } from '../../domain/text-rules.js';

/**
 * The one check every text entering the service passes (JSON bodies, query strings, multipart
 * fields, file names): it must be well-formed Unicode, and it is stored in NFC. A lone UTF-16
 * surrogate cannot be stored (BSON carries UTF-8, the driver writes U+FFFD instead), so accepting
 * one would store something other than what was checked and hashed. Bytes that are not UTF-8
 * are refused for the same reason instead of being silently replaced.
 */

export interface TextProblem {
  field: string;
  message: string;
  type: string;
}

const notWellFormed = (field: string): TextProblem => ({
  field,
  message: `'${field}' is not well-formed Unicode text / '${field}' bukan teks Unicode yang sah`,
  type: 'string.unicode',
});

export function textError(problems: TextProblem[]): AppError {
  return new AppError('validation_failed', 'Text is not well-formed Unicode / Teks bukan Unicode yang sah', problems);
}

/** A single string: well-formed (else a problem named `field`), returned in NFC. */
export function checkString(value: string, field: string, problems: TextProblem[], undecodable = false): string {
  if (LONE_SURROGATE.test(value) || (undecodable && value.includes(REPLACEMENT))) {
    problems.push(notWellFormed(field));
    return value;
  }
  return value.normalize('NFC');
}

/**
 * Every string (and object key) of a parsed body, in place: NFC, and a problem for each one that
 * is not well-formed. Iterative, so a deeply nested body cannot exhaust the stack.
 * `undecodable`: the raw bytes were not UTF-8, so the strings holding U+FFFD are the culprits.
 */
export function checkTextTree(root: unknown, problems: TextProblem[], undecodable = false): unknown {
  if (typeof root === 'string') return checkString(root, 'body', problems, undecodable);
  const stack: Array<{ node: Record<string, unknown> | unknown[]; path: string }> = [];
  if (root && typeof root === 'object') stack.push({ node: root as Record<string, unknown>, path: '' });
  while (stack.length > 0) {
    const { node, path } = stack.pop()!;
    const at = (key: string | number) => (path ? `${path}.${key}` : String(key));
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v = node[i];
        if (typeof v === 'string') node[i] = checkString(v, at(i), problems, undecodable);
        else if (v && typeof v === 'object') stack.push({ node: v as Record<string, unknown>, path: at(i) });
      }
      continue;
    }
    for (const key of Object.keys(node)) {
      let name = key;
      const keyProblems: TextProblem[] = [];
      const normalKey = checkString(key, at(key), keyProblems, undecodable);
      if (keyProblems.length) problems.push(...keyProblems);
      else if (normalKey !== key) {
        // an own data property, never the prototype setter (the key may be "__proto__")
        Object.defineProperty(node, normalKey, { value: node[key], enumerable: true, writable: true, configurable: true });
        delete node[key];
        name = normalKey;
      }
      const v = node[name];
      if (typeof v === 'string') node[name] = checkString(v, at(name), problems, undecodable);
      else if (v && typeof v === 'object') stack.push({ node: v as Record<string, unknown>, path: at(name) });
    }
  }
  return root;
}

const FLAG = Symbol('body-not-utf8');

/** express.json's `verify`: remembers that the raw body was not UTF-8 (body-parser would replace those bytes). */
export function noteUndecodableBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(String(req.headers['content-type'] ?? ''))?.[1]?.toLowerCase() ?? 'utf-8';
  if ((charset === 'utf-8' || charset === 'utf8') && !isUtf8(buf)) (req as unknown as Record<symbol, boolean>)[FLAG] = true;
}

/** Percent-escapes that decode to something other than UTF-8 (a stray "%" that escapes nothing is left alone). */
function undecodableQueryKeys(rawQuery: string): string[] {
  const bad: string[] = [];
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const rawKey = eq < 0 ? pair : pair.slice(0, eq);
    const rawValue = eq < 0 ? '' : pair.slice(eq + 1);
    const decodes = (s: string) => {
      try {
        decodeURIComponent(s.replace(/\+/g, ' ').replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
        return true;
      } catch {
        return false;
      }
    };
    if (!decodes(rawKey) || !decodes(rawValue)) bad.push(querystring.unescape(rawKey.replace(/\+/g, ' ')));
  }
  return bad;
}

/**
 * The edge middleware (after express.json): query string and JSON body, checked and put in NFC
 * before any route sees them. Multipart bodies are parsed later by multer, inside their route:
 * the upload route calls checkTextTree and checkString itself.
 */
export const checkTextInput: RequestHandler = (req, _res, next) => {
  const problems: TextProblem[] = [];
  const q = req.url.indexOf('?');
  if (q >= 0) {
    for (const key of undecodableQueryKeys(req.url.slice(q + 1))) problems.push(notWellFormed(key));
    const query = checkTextTree({ ...(req.query as Record<string, unknown>) }, problems);
    // Express 5 parses req.query again on every read: the checked copy replaces the getter for this request.
    Object.defineProperty(req, 'query', { value: query, writable: true, configurable: true, enumerable: true });
  }
  if (req.body !== undefined) {
    const undecodable = Boolean((req as unknown as Record<symbol, boolean>)[FLAG]);
    const before = problems.length;
    req.body = checkTextTree(req.body, problems, undecodable);
    if (undecodable && problems.length === before) problems.push(notWellFormed('body'));
  }
  if (problems.length) return next(textError(problems));
  next();
};
