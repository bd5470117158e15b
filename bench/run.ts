/**
 * `npm run bench`: runs every bench module present, one after another (they would disturb each
 * other's figures if run together), prints one table of checks with targets and PASS/FAIL, and
 * writes bench/out/results.json. Adding a bench is one line in MODULES.
 *
 * A module exports `async function <exportName>(): Promise<Record<string, unknown>>`; a result
 * with `checks: [{ name, value, unit, target, pass }]` gets rows in the table, other keys are
 * kept in the JSON. Run one alone: `npm run bench -- agreements`.
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Check } from './check.js';

const MODULES: Array<{ name: string; file: string; exportName: string; issue: string }> = [
  { name: 'db', file: 'db.ts', exportName: 'runDbBench', issue: 'embedded database' },
  { name: 'agreements', file: 'agreements.ts', exportName: 'runAgreementsBench', issue: 'issue 11' },
  { name: 'documents', file: 'documents.ts', exportName: 'runDocumentsBench', issue: 'documents' },
  { name: 'reminders', file: 'reminders.ts', exportName: 'runRemindersBench', issue: 'reminders' },
  { name: 'web', file: 'web.ts', exportName: 'runWebBench', issue: 'issue 16' },
  { name: 'reports', file: 'reports.ts', exportName: 'runReportsBench', issue: 'issue 13' },
];


const here = path.dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const results: Record<string, unknown> = {};
  const rows: Array<{ bench: string } & Check> = [];
  let failures = 0;
  for (const m of MODULES) {
    if (only.length && !only.includes(m.name)) continue;
    const file = path.join(here, m.file);
    if (!fs.existsSync(file)) {
      process.stderr.write(`- ${m.name}: ${m.file} not present, skipped\n`);
      continue;
    }
    process.stderr.write(`- ${m.name} (${m.issue}): running\n`);
    const started = Date.now();
    try {
      const mod = await import(pathToFileURL(file).href);
      const fn = mod[m.exportName];
      if (typeof fn !== 'function') throw new Error(`${m.file} does not export ${m.exportName}()`);
      const result = (await fn()) as Record<string, unknown>;
      results[m.name] = { ...result, seconds: Math.round((Date.now() - started) / 1000) };
      const checks = Array.isArray(result.checks) ? (result.checks as Check[]) : [];
      for (const c of checks) {
        rows.push({ bench: m.name, ...c });
        if (!c.pass) failures++;
      }
      if (checks.length === 0) rows.push({ bench: m.name, name: '(no checks reported; see results.json)', value: '', pass: true });
    } catch (err: any) {
      failures++;
      results[m.name] = { error: String(err?.stack ?? err) };
      rows.push({ bench: m.name, name: 'bench failed to run', value: String(err?.message ?? err).slice(0, 60), pass: false });
    }
  }

  printTable(rows);
  const outDir = path.join(here, 'out');
  fs.mkdirSync(outDir, { recursive: true });
  const out = {
    at: new Date().toISOString(),
    machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30) },
    passed: failures === 0,
    results,
  };
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(out, null, 2) + '\n');
  process.stdout.write(`\n${failures === 0 ? 'ALL PASS' : `${failures} FAILED`} — details in bench/out/results.json\n`);
  process.exit(failures === 0 ? 0 : 1);
}

function printTable(rows: Array<{ bench: string } & Check>): void {
  const cells = rows.map((r) => [r.bench, r.name, `${r.value}${r.unit && r.value !== '' ? ` ${r.unit}` : ''}`, r.target ?? '-', r.pass ? 'PASS' : 'FAIL']);
  const head = ['bench', 'check', 'measured', 'target', 'result'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ');
  process.stdout.write('\n' + line(head) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const c of cells) process.stdout.write(line(c) + '\n');
}

main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
