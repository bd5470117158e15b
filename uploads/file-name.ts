/**
 * The original file name as recorded and offered back on download: the last path segment only
 * (both / and \ count, since browsers on Windows send full paths), without control characters,
 * bidirectional overrides (which disguise extensions, e.g. "invoice\u202Efdp.exe") or leading dots,
 * at most 200 characters, ending in .pdf.
 */
export function sanitizeFileName(raw: string | undefined | null, fallback = 'document.pdf'): string {
  let name = String(raw ?? '').normalize('NFC');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '');
  if (!name || name === '.pdf') return fallback;
  if (!/\.pdf$/i.test(name)) name = `${name}.pdf`;
  if (name.length > 200) {
    const stem = [...name.slice(0, -4)].slice(0, 196).join('');
    name = `${stem}.pdf`;
  }
  return name;
}
