/**
 * Why a file was refused, as a closed list: the reason travels from the worker thread to the
 * domain (which turns it into a 422) and into the API details, so clients can act on it.
 */
export type PdfRejectionReason =
  /** zero bytes */
  | 'empty'
  /** does not start with %PDF- (e.g. a renamed JPEG) */
  | 'not_pdf'
  /** no end-of-file marker: cut off in transfer */
  | 'truncated'
  /** the PDF library cannot read it (broken syntax, cyclic page tree, absurd nesting) */
  | 'unparseable'
  /** password-protected or otherwise encrypted */
  | 'encrypted'
  /** carries JavaScript or launch actions */
  | 'active_content'
  /** no pages */
  | 'no_pages'
  /** more pages than the configured maximum */
  | 'too_many_pages'
  /** parsing needed more memory than a worker may use (e.g. a compressed-object bomb) */
  | 'too_complex'
  /** parsing took longer than the worker time limit */
  | 'timeout';

const MESSAGES: Record<PdfRejectionReason, string> = {
  empty: 'The file is empty / Berkas kosong',
  not_pdf: 'The file is not a PDF: save or export the document as PDF and upload that file / Berkas ini bukan PDF: simpan atau ekspor dokumen sebagai PDF, lalu unggah berkas itu',
  truncated: 'The PDF is incomplete (no end-of-file marker); upload it again / PDF tidak lengkap (tanda akhir berkas tidak ada); unggah ulang',
  unparseable: 'The PDF is damaged and cannot be read / PDF rusak dan tidak dapat dibaca',
  encrypted:
    'The PDF is encrypted or password-protected; remove the protection and upload it again / PDF terenkripsi atau dilindungi kata sandi; hapus perlindungan lalu unggah ulang',
  active_content:
    'The PDF contains JavaScript or launch actions and was refused; export it again without them (e.g. "Print to PDF") / PDF berisi JavaScript atau aksi peluncuran dan ditolak; ekspor ulang tanpa keduanya (mis. "Cetak ke PDF")',
  no_pages: 'The PDF has no pages / PDF tidak memiliki halaman',
  too_many_pages: 'The PDF has more pages than allowed / Jumlah halaman PDF melebihi batas',
  too_complex:
    'The PDF needs too much memory to process (possibly a compression bomb) / PDF memerlukan memori terlalu besar untuk diproses (kemungkinan bom kompresi)',
  timeout: 'The PDF took too long to process / Pemrosesan PDF terlalu lama',
};

export class PdfRejection extends Error {
  readonly reason: PdfRejectionReason;
  readonly details: Record<string, unknown>;
  constructor(reason: PdfRejectionReason, details: Record<string, unknown> = {}) {
    super(MESSAGES[reason]);
    this.name = 'PdfRejection';
    this.reason = reason;
    this.details = details;
  }
}
