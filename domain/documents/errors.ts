import { AppError } from '../errors.js';

export const documentNotFound = () => new AppError('not_found', 'Document not found / Dokumen tidak ditemukan');
