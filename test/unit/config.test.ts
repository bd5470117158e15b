/** Configuration is checked once at start-up: a bad setting stops the service with a message naming it. */
import { expect } from 'chai';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeCa } from '../support/signed-pdf.js';
import { loadConfig, ConfigError } from '../../lib/config.js';

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('config', () => {
  it('when nothing is set, then the defaults make a working zero-config start', () => {
    const c = loadConfig({});
    expect(c).to.include({ port: 3000, demoData: true, trustProxy: 0, tokenTtlMinutes: 480 });
    expect(c.mongodbUri).to.equal(undefined);
    expect(c.uploads).to.include({ pdfJobsPerUser: 2, workerQueue: 64 });
    expect(Object.isFrozen(c) && Object.isFrozen(c.reminders)).to.equal(true);
  });

  const bad: Array<[string, string]> = [
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['MONGODB_URI', 'http://localhost:27017/x'],
    ['MONGODB_URI', 'not a uri'],
    ['REMINDER_CRON', 'every five minutes'],
    ['REMINDER_CRON', '61 * * * *'],
    ['TOKEN_TTL_MINUTES', '0'],
    ['TRUST_PROXY', 'true'],
    ['BODY_LIMIT', 'huge'],
    ['LOG_LEVEL', 'verbose'],
    ['NODE_ENV', 'staging'],
    ['DEMO_DATA', 'maybe'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['PDF_JOBS_PER_USER', '0'],
    ['PDF_JOBS_PER_USER', 'two'],
    ['PDF_WORKER_QUEUE', '0'],
    ['PDF_WORKER_QUEUE', '1.5'],
  ];
  for (const [name, value] of bad) {
    it(`when ${name}=${JSON.stringify(value)}, then start-up stops with a message naming ${name}`, () => {
      const env: Record<string, string> = { [name]: value };
      if (name === 'ADMIN_EMAIL') env.ADMIN_PASSWORD = 'long-enough-password';
      const message = failure(env);
      expect(message).to.match(new RegExp(`^\\s+${name}:`, 'm'));
    });
  }

  it('when MONGODB_URI is a replica set of several hosts, with credentials and an auth database, or mongodb+srv, then it is accepted as given', () => {
    for (const uri of [
      'mongodb://db1:27017,db2:27017,db3:27017/?replicaSet=rs0',
      'mongodb://tracker:s%40cret@db1:27017,db2:27017/admin?replicaSet=rs0&authSource=admin',
      'mongodb+srv://tracker:secret@cluster0.example.net/?retryWrites=true&w=majority',
      'mongodb://[::1]:27017,localhost:27018/?replicaSet=rs0&readPreference=primary',
    ]) {
      expect(loadConfig({ MONGODB_URI: uri }).mongodbUri, uri).to.equal(uri);
    }
  });

  it('when MONGODB_URI breaks the connection-string grammar or names an option the driver refuses, then start-up stops with the driver\'s reason', () => {
    expect(failure({ MONGODB_URI: 'mongodb+srv://a.example.net,b.example.net/' })).to.match(/MONGODB_URI:.*multiple service names/);
    expect(failure({ MONGODB_URI: 'mongodb://db1/?readPreference=nearest-ish' })).to.match(/MONGODB_URI:.*read preference/i);
    expect(failure({ MONGODB_URI: 'mongodb://db1/?replicaSett=rs0' })).to.match(/MONGODB_URI:.*option replicasett is not supported/i);
    expect(failure({ MONGODB_URI: 'mongodb://' })).to.match(/MONGODB_URI:/);
  });

  it('when DB_NAME is unset, then the data goes to pwni_tracker; a system database or an invalid name is refused', () => {
    expect(loadConfig({}).dbName).to.equal('pwni_tracker');
    expect(loadConfig({ DB_NAME: 'tracker_prod' }).dbName).to.equal('tracker_prod');
    for (const name of ['admin', 'local', 'config', 'with.dot', 'with space', 'a/b', 'x'.repeat(64)]) {
      expect(failure({ DB_NAME: name }), name).to.match(/^\s+DB_NAME:/m);
    }
  });

  it('when several settings are bad, then every one is named, not just the first', () => {
    const message = failure({ PORT: '-1', MONGODB_URI: 'ftp://x', REMINDER_CRON: 'nope' });
    for (const name of ['PORT', 'MONGODB_URI', 'REMINDER_CRON']) expect(message).to.include(`${name}:`);
  });

  it('when ADMIN_EMAIL is set without ADMIN_PASSWORD (or the password is short), then start-up stops', () => {
    expect(failure({ ADMIN_EMAIL: 'root@kemlu.go.id' })).to.match(/ADMIN_PASSWORD/);
    expect(failure({ ADMIN_EMAIL: 'root@kemlu.go.id', ADMIN_PASSWORD: 'short' })).to.match(/ADMIN_PASSWORD/);
  });

  it('when the values are good, then they are converted and the admin e-mail lower-cased', () => {
    const c = loadConfig({ PORT: '8080', TRUST_PROXY: '2', DEMO_DATA: 'no', ADMIN_EMAIL: 'Root@Kemlu.go.id', ADMIN_PASSWORD: 'long-enough-pw' });
    expect(c).to.include({ port: 8080, trustProxy: 2, demoData: false, adminEmail: 'root@kemlu.go.id' });
  });
});

describe('config: TRUSTED_CA_DIR', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trusted-ca-conf-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('when TRUSTED_CA_DIR is unset, then no root is trusted', () => {
    expect(loadConfig({}).signatures).to.deep.equal({ trustedCaDir: undefined, trustedRoots: [] });
  });

  it('when TRUSTED_CA_DIR holds a PEM and a DER certificate, then both are read as trusted roots', async () => {
    const a = await makeCa('Akar A');
    const b = await makeCa('Akar B');
    fs.writeFileSync(path.join(dir, 'a.pem'), a.pem);
    fs.writeFileSync(path.join(dir, 'b.cer'), Buffer.from(b.certificate.toSchema(true).toBER(false)));
    const config = loadConfig({ TRUSTED_CA_DIR: dir });
    expect(config.signatures.trustedCaDir).to.equal(path.resolve(dir));
    expect(config.signatures.trustedRoots).to.deep.equal([a, b].map((ca) => Buffer.from(ca.certificate.toSchema(true).toBER(false)).toString('base64')));
  });

  it('when TRUSTED_CA_DIR is missing, empty or holds a file that is not a certificate, then start-up stops naming it', () => {
    expect(failure({ TRUSTED_CA_DIR: path.join(dir, 'nowhere') })).to.match(/^\s+TRUSTED_CA_DIR:.*not a directory/m);
    expect(failure({ TRUSTED_CA_DIR: dir })).to.match(/^\s+TRUSTED_CA_DIR:.*holds no certificate/m);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a certificate');
    expect(failure({ TRUSTED_CA_DIR: dir })).to.match(/^\s+TRUSTED_CA_DIR:.*notes\.txt is not an X\.509 certificate/m);
  });
});
