/**
 * Lints the OpenAPI document the app serves with Redocly's recommended rules and fails on any
 * problem, warnings included: client generators and API portals read every one of them.
 * `npm run lint` runs it, and so does a test, so CI holds the document to it too.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { buildOpenApiDocument } from './index.js';

export interface LintProblem {
  ruleId: string;
  severity: string;
  message: string;
  pointer: string;
}

/**
 * The server URL comes from PUBLIC_URL at run time; the lint needs one that is not localhost
 * (Redocly warns about that, rightly, for a published document), so without PUBLIC_URL it uses
 * a reserved `.invalid` name that can never resolve.
 */
export async function lintOpenApiDocument(publicUrl = process.env.PUBLIC_URL || 'https://pwni-tracker.invalid'): Promise<LintProblem[]> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'openapi-lint-'));
  try {
    const file = path.join(dir, 'openapi.json');
    await fs.writeFile(file, JSON.stringify(buildOpenApiDocument({ publicUrl }), null, 2));
    const cli = createRequire(import.meta.url).resolve('@redocly/cli/bin/cli.js');
    // Redocly exits non-zero on errors; the JSON report is on stdout either way.
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', file, '--format=json', '--max-problems=1000'], {
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }>;
    };
    return report.problems.map((p) => ({ ruleId: p.ruleId, severity: p.severity, message: p.message, pointer: p.location[0]?.pointer ?? '' }));
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${path.resolve(process.argv[1])}`).href) {
  const problems = await lintOpenApiDocument();
  for (const p of problems) console.error(`${p.severity} ${p.ruleId} ${p.pointer}: ${p.message}`);
  console.error(problems.length === 0 ? 'OpenAPI document: no Redocly problems' : `OpenAPI document: ${problems.length} Redocly problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
