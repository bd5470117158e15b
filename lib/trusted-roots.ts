import fs from 'node:fs';
import path from 'node:path';
import * as pkijs from 'pkijs';

/**
 * Reads the trusted root certificates of TRUSTED_CA_DIR: every file with a PEM certificate (one or
 * several) or a single DER certificate. Parsed with pkijs at start-up, so a file that is not a
 * certificate stops the process with its name instead of failing signature checks later.
 * Returns each certificate's DER, base64 (plain strings: they are frozen with the config and
 * handed to the PDF worker threads).
 */
export function loadTrustedRoots(dir: string): string[] {
  const stat = fs.statSync(dir, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) throw new Error(`${dir} is not a directory`);
  const roots: string[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (!fs.statSync(file).isFile() || name.startsWith('.')) continue;
    const bytes = fs.readFileSync(file);
    const text = bytes.toString('latin1');
    const ders = text.includes('-----BEGIN CERTIFICATE-----')
      ? [...text.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'))
      : [bytes];
    for (const der of ders) {
      try {
        pkijs.Certificate.fromBER(der);
      } catch (err) {
        throw new Error(`${name} is not an X.509 certificate (PEM or DER): ${String((err as Error)?.message ?? err).slice(0, 120)}`);
      }
      roots.push(der.toString('base64'));
    }
  }
  if (roots.length === 0) throw new Error(`${dir} holds no certificate`);
  return roots;
}
