import path from 'node:path';
import Joi from 'joi';
import cron from 'node-cron';
import { MongoClient } from 'mongodb';
import { ConnectionString } from 'mongodb-connection-string-url';
import { loadTrustedRoots } from './trusted-roots.js';

/**
 * Every setting the service reads, validated once at start-up and frozen.
 * This is the only module that reads process.env: everything else receives a Config.
 */
export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  port: number;
  host: string;
  /** where the embedded database and stored files live */
  dataDir: string;
  /** real MongoDB (production); when empty the connection layer falls back (see server/db/connection.ts) */
  mongodbUri?: string;
  /** the database the service keeps its data in (the URI's path names only the authentication database) */
  dbName: string;
  /** a mongod binary for mongodb-memory-server (its own MONGOMS_SYSTEM_BINARY setting) */
  mongomsSystemBinary?: string;
  /** load the demo agreements into an empty database on the embedded default */
  demoData: boolean;
  adminEmail?: string;
  adminPassword?: string;
  /** base URL used in links inside e-mails and calendars */
  publicUrl: string;
  tokenTtlMinutes: number;
  /** how many reverse-proxy hops to trust for X-Forwarded-For (0: trust none) */
  trustProxy: number;
  bodyLimit: string;
  logLevel: 'silent' | 'error' | 'warn' | 'info' | 'debug';
  uploads: {
    maxBytes: number;
    maxPages: number;
    workerMemoryMb: number;
    workerTimeoutMs: number;
    /** PDF_WORKER_QUEUE: tasks that may wait for a PDF worker; beyond, 503 */
    workerQueue: number;
    /** PDF_JOBS_PER_USER: uploads, stamped copies and packets one user may have in the PDF workers at once; beyond, 429 */
    pdfJobsPerUser: number;
    storage: 'disk' | 'gridfs';
  };
  imports: {
    /** the largest register file POST /api/imports accepts (IMPORT_MAX_BYTES) */
    maxBytes: number;
    /** IMPORT_READ_MEMORY_MB: heap cap of the worker thread that reads one register file */
    readMemoryMb: number;
    /** IMPORT_READERS: register files read at once in this process; others wait their turn */
    readers: number;
  };
  signatures: {
    /** TRUSTED_CA_DIR, resolved; none by default (every intact signature is then "valid but untrusted") */
    trustedCaDir?: string;
    /** its certificates, DER in base64, read and parsed once at start-up */
    trustedRoots: readonly string[];
  };
  smtp: {
    host?: string;
    port: number;
    secure: boolean;
    user?: string;
    pass?: string;
    from: string;
  };
  reminders: {
    cron: string;
    enabled: boolean;
    webhookUrl?: string;
    webhookSecret?: string;
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const bool = Joi.boolean().truthy('1', 'yes', 'true').falsy('0', 'no', 'false').sensitive(false);

const schema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  PORT: Joi.number().integer().min(0).max(65535).default(3000),
  HOST: Joi.string().default('0.0.0.0'),
  DATA_DIR: Joi.string().default('./data'),
  MONGODB_URI: Joi.string()
    .custom((value: string) => {
      checkConnectionString(value);
      return value;
    })
    .empty(''),
  DB_NAME: Joi.string()
    // MongoDB's own rules for a database name, and not one of its system databases
    .pattern(/^[^/\\. "$*<>:|?\0]{1,63}$/)
    .invalid('admin', 'local', 'config')
    .default('pwni_tracker'),
  MONGOMS_SYSTEM_BINARY: Joi.string().empty(''),
  DEMO_DATA: bool.default(true),
  ADMIN_EMAIL: Joi.string().email({ tlds: false }).empty(''),
  ADMIN_PASSWORD: Joi.string().min(10).empty(''),
  PUBLIC_URL: Joi.string().uri({ scheme: ['http', 'https'] }).empty(''),
  TOKEN_TTL_MINUTES: Joi.number().integer().min(1).max(60 * 24 * 30).default(480),
  TRUST_PROXY: Joi.number().integer().min(0).max(10).default(0),
  BODY_LIMIT: Joi.string().pattern(/^\d+(b|kb|mb)$/i).default('1mb'),
  LOG_LEVEL: Joi.string().valid('silent', 'error', 'warn', 'info', 'debug').default('info'),
  UPLOAD_MAX_BYTES: Joi.number().integer().min(1024).default(50 * 1024 * 1024),
  UPLOAD_MAX_PAGES: Joi.number().integer().min(1).max(100000).default(2000),
  PDF_WORKER_MEMORY_MB: Joi.number().integer().min(32).max(4096).default(256),
  PDF_WORKER_TIMEOUT_MS: Joi.number().integer().min(1000).max(600000).default(30000),
  // Waiting tasks cost little memory each, but each stands for a request held open with its file
  // on disk; 64 is a minute or two of work for a few workers even when every file is heavy.
  PDF_WORKER_QUEUE: Joi.number().integer().min(1).max(10000).default(64),
  // Two lets a drafter send a final text in two languages at once; more only lets one person's
  // heavy files take more of the workers that everybody shares.
  PDF_JOBS_PER_USER: Joi.number().integer().min(1).max(100).default(2),
  // A 20,000-row register as full as the template's example is about 9 MB as CSV and less as XLSX;
  // anything far larger is not a register (it is parsed in memory, in a worker thread).
  IMPORT_MAX_BYTES: Joi.number().integer().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  // Reading a 20,000-row workbook as full as the template's example took between 128 and 256 MB
  // of heap; twice the upper figure leaves room for long titles. A file that needs more is refused
  // (422) and the message says to send the data sheet alone or a CSV, which reads in far less.
  IMPORT_READ_MEMORY_MB: Joi.number().integer().min(64).max(8192).default(512),
  // Imports are a few a day; two at once is already rare, and each may take its memory cap.
  IMPORT_READERS: Joi.number().integer().min(1).max(16).default(2),
  FILE_STORAGE: Joi.string().valid('disk', 'gridfs').default('disk'),
  TRUSTED_CA_DIR: Joi.string()
    .custom((value: string) => {
      loadTrustedRoots(path.resolve(value));
      return value;
    })
    .empty(''),
  SMTP_HOST: Joi.string().hostname().empty(''),
  SMTP_PORT: Joi.number().integer().min(1).max(65535).default(587),
  SMTP_SECURE: bool.default(false),
  SMTP_USER: Joi.string().empty(''),
  SMTP_PASS: Joi.string().empty(''),
  MAIL_FROM: Joi.string().default('Direktorat PWNI <no-reply@pwni.kemlu.go.id>'),
  REMINDER_CRON: Joi.string()
    .custom((value: string) => {
      if (!cron.validate(value)) throw new Error('not a valid cron expression');
      return value;
    })
    .default('*/5 * * * *'),
  REMINDERS_ENABLED: bool.default(true),
  WEBHOOK_URL: Joi.string().uri({ scheme: ['http', 'https'] }).empty(''),
  WEBHOOK_SECRET: Joi.string().min(16).empty(''),
})
  .and('ADMIN_EMAIL', 'ADMIN_PASSWORD')
  .and('WEBHOOK_URL', 'WEBHOOK_SECRET')
  // The process environment holds many unrelated variables: only ours are read.
  .unknown(true);

/**
 * Parses MONGODB_URI as the driver will: the connection-string grammar (several hosts,
 * `mongodb+srv://`, credentials) with mongodb-connection-string-url, then every option with the
 * driver's own option parser (building a client connects nothing). Throws the driver's message.
 */
function checkConnectionString(uri: string): void {
  new ConnectionString(uri);
  new MongoClient(uri);
}

type Env = Record<string, string | undefined>;

/** Every environment variable the service reads, from the schema itself (the README's configuration table lists each). */
export function settingNames(): string[] {
  return Object.keys(schema.describe().keys ?? {});
}

/** Reads and validates settings; throws ConfigError naming every bad setting. */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const { value, error } = schema.validate(env, { abortEarly: false, convert: true });
  if (error) {
    const lines = error.details.map((d) => `  ${d.path.join('.') || d.context?.label}: ${d.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const v = value as Record<string, any>;
  const config: Config = {
    nodeEnv: v.NODE_ENV,
    port: v.PORT,
    host: v.HOST,
    dataDir: path.resolve(v.DATA_DIR),
    mongodbUri: v.MONGODB_URI,
    dbName: v.DB_NAME,
    mongomsSystemBinary: v.MONGOMS_SYSTEM_BINARY,
    demoData: v.DEMO_DATA,
    adminEmail: v.ADMIN_EMAIL?.toLowerCase(),
    adminPassword: v.ADMIN_PASSWORD,
    publicUrl: (v.PUBLIC_URL ?? `http://localhost:${v.PORT}`).replace(/\/+$/, ''),
    tokenTtlMinutes: v.TOKEN_TTL_MINUTES,
    trustProxy: v.TRUST_PROXY,
    bodyLimit: v.BODY_LIMIT,
    logLevel: v.LOG_LEVEL,
    uploads: {
      maxBytes: v.UPLOAD_MAX_BYTES,
      maxPages: v.UPLOAD_MAX_PAGES,
      workerMemoryMb: v.PDF_WORKER_MEMORY_MB,
      workerTimeoutMs: v.PDF_WORKER_TIMEOUT_MS,
      workerQueue: v.PDF_WORKER_QUEUE,
      pdfJobsPerUser: v.PDF_JOBS_PER_USER,
      storage: v.FILE_STORAGE,
    },
    imports: { maxBytes: v.IMPORT_MAX_BYTES, readMemoryMb: v.IMPORT_READ_MEMORY_MB, readers: v.IMPORT_READERS },
    signatures: {
      trustedCaDir: v.TRUSTED_CA_DIR ? path.resolve(v.TRUSTED_CA_DIR) : undefined,
      trustedRoots: v.TRUSTED_CA_DIR ? loadTrustedRoots(path.resolve(v.TRUSTED_CA_DIR)) : [],
    },
    smtp: {
      host: v.SMTP_HOST,
      port: v.SMTP_PORT,
      secure: v.SMTP_SECURE,
      user: v.SMTP_USER,
      pass: v.SMTP_PASS,
      from: v.MAIL_FROM,
    },
    reminders: {
      cron: v.REMINDER_CRON,
      enabled: v.REMINDERS_ENABLED,
      webhookUrl: v.WEBHOOK_URL,
      webhookSecret: v.WEBHOOK_SECRET,
    },
  };
  return deepFreeze(config);
}

/** Builds a config for tests from defaults plus overrides, without touching process.env. */
export function testConfig(overrides: Env = {}): Readonly<Config> {
  return loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DEMO_DATA: 'false', REMINDERS_ENABLED: 'false', ...overrides });
}

function deepFreeze<T>(obj: T): T {
  for (const value of Object.values(obj as object)) {
    if (value && typeof value === 'object') deepFreeze(value);
  }
  return Object.freeze(obj);
}
