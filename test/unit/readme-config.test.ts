/**
 * The README's configuration table is how operators (and the Dockerfile and compose.yaml) learn
 * the settings: it must name every one the config reads, and nothing it does not.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { settingNames } from '../../lib/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const readFile = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

/** The backquoted upper-case names in the first column of the README's "## Configuration" table. */
function readmeSettings(): string[] {
  const section = readFile('README.md').split(/^## Configuration\s*$/m)[1]?.split(/^## /m)[0] ?? '';
  const names = new Set<string>();
  for (const line of section.split('\n')) {
    const firstCell = /^\|\s*([^|]+)\|/.exec(line)?.[1] ?? '';
    for (const m of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) names.add(m[1]);
  }
  return [...names];
}

describe('README configuration table', () => {
  it('when the config reads a setting, then the README table has a row for it', () => {
    const documented = readmeSettings();
    const known = settingNames();
    expect(known.length).to.be.greaterThan(10);
    expect(known.filter((name) => !documented.includes(name)), 'settings missing from the README table').to.deep.equal([]);
  });

  it('when the README table names a setting, then the config reads it', () => {
    const known = settingNames();
    expect(readmeSettings().filter((name) => !known.includes(name)), 'README rows for settings nobody reads').to.deep.equal([]);
  });

  it('when the Dockerfile or compose.yaml sets a variable for the service, then it is a setting the config reads', () => {
    const known = settingNames();
    const dockerfile = [...readFile('Dockerfile').matchAll(/^ENV\s+(.+)$/gm)].flatMap((m) => [...m[1].matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((n) => n[1]));
    const compose = readFile('compose.yaml');
    const appBlock = compose.split(/^  app:\s*$/m)[1]?.split(/^  \S/m)[0] ?? '';
    const composeNames = [...appBlock.matchAll(/^\s+([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1]);
    expect(dockerfile.length + composeNames.length).to.be.greaterThan(3);
    expect([...dockerfile, ...composeNames].filter((name) => !known.includes(name))).to.deep.equal([]);
  });
});
