import type { DocumentRecord, SignatureFacts, SignatureStatus } from '../../models/document.js';

/** What each status means, for people (Indonesian / English). */
const STATUS_MESSAGES: Record<SignatureStatus, string> = {
  valid: 'Tanda tangan utuh dan sertifikatnya berantai ke akar tepercaya / The signature is intact and its certificate chains to a trusted root',
  valid_untrusted:
    'Tanda tangan utuh, tetapi sertifikatnya tidak berantai ke akar tepercaya yang dikonfigurasi / The signature is intact, but its certificate does not chain to a configured trusted root',
  modified_after_signing:
    'Tanda tangan utuh, tetapi berkas diubah setelah ditandatangani (ada tambahan di luar bagian yang ditandatangani) / The signature is intact, but the file was changed after signing (bytes were added outside the signed part)',
  broken: 'Tanda tangan rusak: isi berkas atau nilai tanda tangan tidak cocok / The signature is broken: the file content or the signature value does not match',
  unsupported: 'Jenis tanda tangan ini tidak diperiksa / This kind of signature is not checked',
};

/** Worst first: the status a version is summed up by. */
const SEVERITY: SignatureStatus[] = ['broken', 'modified_after_signing', 'unsupported', 'valid_untrusted', 'valid'];

export function toSignatureView(sig: SignatureFacts) {
  return { ...sig, message: STATUS_MESSAGES[sig.status] };
}

export type SignatureView = ReturnType<typeof toSignatureView>;

/**
 * The short account of a version's signatures carried by every document answer: null when the
 * version was uploaded before signatures were checked. `flagged` marks a signature that does not
 * hold (broken, or changed after signing), with a warning people can read.
 */
export function signatureSummary(d: DocumentRecord) {
  if (!d.signatures) return null;
  const statuses = d.signatures.map((s) => s.status);
  const worst = SEVERITY.find((status) => statuses.includes(status)) ?? null;
  const flagged = worst === 'broken' || worst === 'modified_after_signing';
  return {
    count: d.signatures.length,
    status: worst,
    flagged,
    warning: flagged && worst ? STATUS_MESSAGES[worst] : null,
  };
}
