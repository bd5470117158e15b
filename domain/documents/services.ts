import type { DocumentServices } from '../../uploads/document-services.js';

declare module '../context.js' {
  interface Services {
    /** file stores, temporary files and PDF worker threads (uploads/document-services.ts) */
    documents: DocumentServices;
  }
}

export type { DocumentServices };
