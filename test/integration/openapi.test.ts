/**
 * The OpenAPI document cannot drift from the app: every route Express has under /api must be
 * described, and every described /api operation must exist.
 */
import { expect } from 'chai';
import request from 'supertest';
import { createTestApp, type TestApp } from '../support/app.js';
import { lintOpenApiDocument } from '../../server/openapi/lint-document.js';

interface RouteEntry {
  method: string;
  path: string;
}

/** Walks Express 5's router stack (router 2.x keeps each layer's mount path in `rawPath`). */
export function listRoutes(stack: any[], prefix = ''): RouteEntry[] {
  const out: RouteEntry[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const [method, on] of Object.entries(layer.route.methods as Record<string, boolean>)) {
          if (on && method !== '_all') out.push({ method, path: join(prefix, p) });
        }
      }
    } else if (layer.handle?.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      out.push(...listRoutes(layer.handle.stack, join(prefix, mount)));
    }
  }
  return out;
}

function join(a: string, b: string): string {
  return (a + '/' + b).replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
}

/** `/agreements/:id/parties/:partyId` → `/agreements/{id}/parties/{partyId}` */
function toOpenApiPath(p: string): string {
  return p.replace(/:(\w+)/g, '{$1}');
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: any;

  before(async () => {
    t = await createTestApp({ label: 'openapi' });
    const res = await request(t.app).get('/api/openapi.json');
    expect(res.status).to.equal(200);
    doc = res.body;
  });
  after(async () => t?.close());

  it('when fetched without a token, then it is an OpenAPI 3.1 document with bearer security', () => {
    expect(doc.openapi).to.match(/^3\.1\./);
    expect(doc.info.title).to.be.a('string');
    expect(doc.components.securitySchemes.bearerAuth).to.include({ type: 'http', scheme: 'bearer' });
  });

  it('when the Express app is walked, then every route under /api appears in the document with its method', () => {
    const routes = listRoutes((t.app as any).router.stack).filter((r) => r.path.startsWith('/api/'));
    expect(routes.length).to.be.greaterThan(5);
    const missing = routes.filter((r) => !doc.paths[toOpenApiPath(r.path)]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing, `routes missing from server/openapi/*.ts: ${missing.join(', ')}`).to.deep.equal([]);
  });

  it('when the document is read, then every /api operation it describes exists in the app', () => {
    const routes = new Set(listRoutes((t.app as any).router.stack).map((r) => `${r.method} ${toOpenApiPath(r.path)}`));
    const described: string[] = [];
    for (const [p, item] of Object.entries<any>(doc.paths)) {
      if (!p.startsWith('/api/')) continue;
      for (const m of Object.keys(item).filter((k) => METHODS.includes(k))) described.push(`${m} ${p}`);
    }
    expect(described.filter((d) => !routes.has(d))).to.deep.equal([]);
  });

  it('when any $ref is followed, then it points at a declared schema', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
    const names = refs.map((r) => r.split('/').pop()!.replace(/"$/, ''));
    const undeclared = [...new Set(names)].filter((n) => !(n in doc.components.schemas));
    expect(undeclared).to.deep.equal([]);
  });

  it('when an operation has path parameters, then each one is declared', () => {
    const problems: string[] = [];
    for (const [p, item] of Object.entries<any>(doc.paths)) {
      const wanted = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const m of Object.keys(item).filter((k) => METHODS.includes(k))) {
        const declared = [...(item.parameters ?? []), ...(item[m].parameters ?? [])].filter((x: any) => x.in === 'path').map((x: any) => x.name);
        for (const w of wanted) if (!declared.includes(w)) problems.push(`${m} ${p}: {${w}}`);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('when client generators read it, then every operation has its own operationId in lowerCamelCase', () => {
    const seen = new Map<string, string>();
    const problems: string[] = [];
    for (const [p, item] of Object.entries<any>(doc.paths)) {
      for (const m of Object.keys(item).filter((k) => METHODS.includes(k))) {
        const id = item[m].operationId;
        const where = `${m.toUpperCase()} ${p}`;
        if (typeof id !== 'string' || !/^[a-z][A-Za-z0-9]*$/.test(id)) problems.push(`${where}: ${id}`);
        else if (seen.has(id)) problems.push(`${where}: ${id} also used by ${seen.get(id)}`);
        else seen.set(id, where);
      }
    }
    expect(problems).to.deep.equal([]);
  });

  it('when linted with Redocly\'s recommended rules, then there is no error and no warning', async function () {
    this.timeout(60_000);
    const problems = await lintOpenApiDocument('https://pwni-tracker.invalid');
    expect(problems.map((p) => `${p.severity} ${p.ruleId} ${p.pointer}: ${p.message}`)).to.deep.equal([]);
  });

  it('when served, then its server URL is the configured public URL', () => {
    expect(doc.servers).to.deep.equal([{ url: t.config.publicUrl }]);
    expect(doc.info.license.name).to.be.a('string');
    expect(doc.info.contact.name).to.match(/Pelindungan WNI/);
  });
});
