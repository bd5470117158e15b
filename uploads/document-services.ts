import path from 'node:path';
import type { Connection } from 'mongoose';
import type { Config } from '../lib/config.js';
import type { Logger } from '../lib/logger.js';
import { createFileStores, type FileStores } from './storage/index.js';
import { TempFiles } from './temp-files.js';
import { PdfWorkerPool } from './worker/pdf-worker-pool.js';

/** What the documents area needs at run time: file stores, temporary files, PDF workers. */
export interface DocumentServices {
  files: FileStores;
  temp: TempFiles;
  pdf: PdfWorkerPool;
  close(): Promise<void>;
}

/** Built once per context; removes temporary files a previous run left behind. */
export async function createDocumentServices(config: Readonly<Config>, connection: Connection, logger: Logger): Promise<DocumentServices> {
  const temp = new TempFiles(path.join(config.dataDir, 'tmp'));
  const removed = await temp.init();
  if (removed > 0) logger.info('removed leftover temporary files', { count: removed, dir: temp.dir });
  const files = await createFileStores({ driver: config.uploads.storage, dataDir: config.dataDir, connection });
  const pdf = new PdfWorkerPool({
    memoryMb: config.uploads.workerMemoryMb,
    timeoutMs: config.uploads.workerTimeoutMs,
    maxQueued: config.uploads.workerQueue,
    perOwner: config.uploads.pdfJobsPerUser,
    prewarm: config.nodeEnv !== 'test',
  });
  return {
    files,
    temp,
    pdf,
    close: () => pdf.close(),
  };
}
