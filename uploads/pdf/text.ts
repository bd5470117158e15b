import type { PDFFont } from '@cantoo/pdf-lib';
import { Encodings } from '@cantoo/pdf-lib/standard-fonts';

/**
 * The standard PDF fonts only cover WinAnsi (Latin-1 and a few more). Names in other scripts
 * (Arabic, for instance) are kept legible where a Latin base letter exists and replaced by '?'
 * otherwise, rather than failing the whole stamp or packet.
 */
export function winAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x0a || cp === 0x09) {
      out += ' ';
    } else if (Encodings.WinAnsi.canEncodeUnicodeCodePoint(cp)) {
      out += ch;
    } else {
      const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      out += [...base].every((c) => Encodings.WinAnsi.canEncodeUnicodeCodePoint(c.codePointAt(0)!)) && base ? base : '?';
    }
  }
  return out;
}

/** Shrinks the size until the text fits the width (never below minSize). */
export function fitSize(font: PDFFont, text: string, size: number, width: number, minSize = 4): number {
  let s = size;
  while (s > minSize && font.widthOfTextAtSize(text, s) > width) s -= 0.5;
  return s;
}

/** Greedy word wrap to a width; very long words are cut. */
export function wrap(font: PDFFont, text: string, size: number, width: number): string[] {
  const words = winAnsi(text).split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (let word of words) {
    while (font.widthOfTextAtSize(word, size) > width && word.length > 1) {
      let cut = word.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(word.slice(0, cut), size) > width) cut--;
      if (line) lines.push(line);
      lines.push(word.slice(0, cut));
      line = '';
      word = word.slice(cut);
    }
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) line = candidate;
    else {
      if (line) lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}
