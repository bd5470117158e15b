/**
 * Who may import what (.dependency-cruiser.cjs, docs/architecture.md): the repository keeps the
 * rules, and the rules catch an import that crosses a layer the wrong way.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const depcruise = path.join(root, 'node_modules/.bin/depcruise');
const config = path.join(root, '.dependency-cruiser.cjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** The violations dependency-cruiser finds under `cwd` (it exits non-zero when there are any). */
async function violations(cwd: string, folders: string[]): Promise<Violation[]> {
  const out = await run(depcruise, ['--config', config, '--output-type', 'json', ...folders], { cwd, maxBuffer: 256 * 1024 * 1024 }).catch(
    (err: { stdout?: string; stderr?: string }) => {
      if (!err.stdout) throw new Error(`depcruise failed: ${err.stderr}`);
      return { stdout: err.stdout };
    },
  );
  // a package is named from node_modules/ on, wherever node_modules really is
  return (JSON.parse(out.stdout).summary.violations as Violation[]).map((v) => ({ rule: { name: v.rule.name }, from: v.from, to: v.to.replace(/^.*node_modules\//, 'node_modules/') }));
}

describe('layers', function () {
  this.timeout(120_000);

  it('when the repository is checked, then no import crosses a layer the wrong way', async () => {
    const folders = ['lib', 'adapters', 'workflows', 'models', 'uploads', 'domain', 'reports', 'server', 'embedded-mongo', 'web'].filter((f) => fs.existsSync(path.join(root, f)));
    expect(await violations(root, folders)).to.deep.equal([]);
  });

  it('when modules import the wrong way, then each import is reported under the rule it breaks', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
    try {
      const files: Record<string, string> = {
        'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
        'package.json': JSON.stringify({ type: 'module', dependencies: { express: '*' } }),
        'server/edge.ts': 'export const edge = 1;\n',
        'domain/use-case.ts': "import { edge } from '../server/edge.js';\nexport const useCase = edge;\n",
        'domain/handler.ts': "import express from 'express';\nexport const app = express;\n",
        'models/schema.ts': "import { useCase } from '../domain/use-case.js';\nexport const schema = useCase;\n",
        'lib/config.ts': "import { schema } from '../models/schema.js';\nexport const config = schema;\n",
        'embedded-mongo/server.ts': "import { config } from '../lib/config.js';\nexport const server = config;\n",
        'workflows/engine.ts': "import { schema } from '../models/schema.js';\nexport const engine = schema;\n",
        'web/app.js': "import { config } from '../lib/config.js';\nexport const page = config;\n",
        'reports/pdf.ts': "import { edge } from '../server/edge.js';\nexport const pdf = edge;\n",
        'domain/annual.ts': "import { pdf } from '../reports/pdf.js';\nexport const annual = pdf;\n",
        'embedded-mongo/query/matcher.ts': "import type { Expr } from './expressions.js';\nexport type Matcher = (e: Expr) => boolean;\n",
        'embedded-mongo/query/expressions.ts': "import type { Matcher } from './matcher.js';\nexport type Expr = { m?: Matcher };\n",
      };
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
      // express itself, so the import resolves to the package as it does in the repository
      fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      const found = (await violations(dir, ['lib', 'workflows', 'models', 'domain', 'reports', 'server', 'embedded-mongo', 'web'])).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
      expect(found).to.have.members([
        'domain-free-of-the-edge: domain/use-case.ts -> server/edge.ts',
        'no-http-below-the-edge: domain/handler.ts -> node_modules/express/index.js',
        'models-below-domain: models/schema.ts -> domain/use-case.ts',
        'lib-imports-nothing-above: lib/config.ts -> models/schema.ts',
        'embedded-mongo-stands-alone: embedded-mongo/server.ts -> lib/config.ts',
        'workflows-stay-pure: workflows/engine.ts -> models/schema.ts',
        'web-is-separate: web/app.js -> lib/config.ts',
        'reports-below-the-edge: reports/pdf.ts -> server/edge.ts',
        'domain-free-of-the-edge: domain/annual.ts -> reports/pdf.ts',
        'no-circular-embedded-mongo: embedded-mongo/query/expressions.ts -> embedded-mongo/query/matcher.ts',
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
