import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** folders of TypeScript that the service does not run: tests, benchmarks, scratch work */
const NOT_SHIPPED = new Set(['test', 'bench', 'node_modules', 'dist', 'data', 'tmp-scratch']);

const holdsTypeScript = (dir: string): boolean =>
  fs.readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? holdsTypeScript(path.join(dir, e.name)) : e.name.endsWith('.ts')));

/**
 * `npm start` rebuilds only when a folder tsconfig.build.json lists changed
 * (scripts/build-if-stale.mjs reads the list from there). A folder of the service compiled only
 * because another imports it was built once and then never again: a change to reports/ went
 * unserved until someone ran `npm run build` by hand.
 */
describe('build: every folder of the service is one the build lists, so a change there rebuilds it', () => {
  it('when a top-level folder holds the service’s TypeScript, then tsconfig.build.json includes it', () => {
    const include = (JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
    const folders = fs
      .readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !NOT_SHIPPED.has(e.name) && holdsTypeScript(path.join(root, e.name)))
      .map((e) => e.name)
      .sort();
    expect(folders, 'the folders found').to.include.members(['domain', 'reports', 'server']);
    expect([...include].sort()).to.deep.equal(folders);
  });
});
