import { degrees, rgb, type PDFDocument, type PDFPage } from '@cantoo/pdf-lib';
import { loadPdf } from './inspect.js';
import { PdfText } from './shaped-text.js';

/** What goes on every page of a stamped copy. */
export interface StampSpec {
  /** e.g. "MOU-2022-001 · final (bahasa Arab/Arabic) · v3 · naskah disepakati/text agreed · SHA-256 3f2a9c0d1e4b"; the page number is appended */
  footer: string;
  /** a diagonal watermark across every page (drafts: "RANCANGAN / DRAFT") */
  watermark?: string;
  /** lines printed above the footer on every page (a signed original: where its signatures are verified) */
  notice?: string[];
}

export const SAVE_OPTIONS = { objectsPerTick: Infinity, useObjectStreams: true } as const;

/** Loads, stamps every page and saves. Runs in a worker thread (and bare in the benchmark). */
export async function stampPdf(bytes: Uint8Array, spec: StampSpec): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc = await loadPdf(bytes);
  await stampDocument(doc, spec);
  return { bytes: await doc.save(SAVE_OPTIONS), pages: doc.getPageCount() };
}

export async function stampDocument(doc: PDFDocument, spec: StampSpec): Promise<void> {
  const t = new PdfText(doc);
  const pages = doc.getPages();
  const total = pages.length;
  pages.forEach((page, i) => {
    const text = `${spec.footer} · halaman ${i + 1} dari ${total} / page ${i + 1} of ${total}`;
    if (spec.watermark) drawWatermark(page, t, spec.watermark);
    drawFooter(page, t, [...(spec.notice ?? []), text]);
  });
  await t.finish();
}

/**
 * The visible page is the crop box turned by /Rotate. We work in "view" coordinates (what the
 * reader sees: origin bottom-left, x to the right) and map them to the page's own space, so the
 * footer sits at the bottom of the page as displayed, whatever its rotation.
 */
interface View {
  width: number;
  height: number;
  /** view point → page point */
  at(x: number, y: number): { x: number; y: number };
  /** extra text rotation so text runs left to right in the view */
  angle: number;
}

function viewOf(page: PDFPage): View {
  const box = page.getCropBox();
  const rotation = (((page.getRotation().angle % 360) + 360) % 360) as 0 | 90 | 180 | 270;
  const { x: bx, y: by, width: w, height: h } = box;
  switch (rotation) {
    case 90:
      // shown turned clockwise: view x runs up the page, view y runs right-to-left
      return { width: h, height: w, angle: 90, at: (x, y) => ({ x: bx + w - y, y: by + x }) };
    case 180:
      return { width: w, height: h, angle: 180, at: (x, y) => ({ x: bx + w - x, y: by + h - y }) };
    case 270:
      return { width: h, height: w, angle: 270, at: (x, y) => ({ x: bx + y, y: by + h - x }) };
    default:
      return { width: w, height: h, angle: 0, at: (x, y) => ({ x: bx + x, y: by + y }) };
  }
}

/** Lines at the bottom of the page as displayed, the last one lowest; each shrunk to fit the width. */
function drawFooter(page: PDFPage, t: PdfText, lines: string[]): void {
  const view = viewOf(page);
  const margin = Math.min(24, view.width * 0.04);
  let baseline = 9;
  for (const text of [...lines].reverse()) {
    const size = t.fitSize(text, 7, view.width - 2 * margin);
    const textWidth = t.width(text, size);
    // a white band under the text keeps it readable on top of page content
    page.drawRectangle({
      ...view.at(margin - 2, baseline - 3),
      width: textWidth + 4,
      height: size + 6,
      rotate: degrees(view.angle),
      color: rgb(1, 1, 1),
      opacity: 0.85,
    });
    t.draw(page, text, { ...view.at(margin, baseline), size, color: rgb(0.15, 0.15, 0.15), rotate: view.angle });
    baseline += size + 4;
  }
}

function drawWatermark(page: PDFPage, t: PdfText, text: string): void {
  const view = viewOf(page);
  const diagonal = Math.hypot(view.width, view.height);
  const size = Math.max(12, Math.min(96, (diagonal * 0.75) / Math.max(1, t.width(text, 1, 'bold'))));
  const textWidth = t.width(text, size, 'bold');
  const theta = Math.atan2(view.height, view.width);
  // start so that the text's centre lands on the page centre, along the diagonal
  const cx = view.width / 2 - (Math.cos(theta) * textWidth) / 2 + (Math.sin(theta) * size) / 3;
  const cy = view.height / 2 - (Math.sin(theta) * textWidth) / 2 - (Math.cos(theta) * size) / 3;
  t.draw(page, text, { ...view.at(cx, cy), size, style: 'bold', color: rgb(0.75, 0.1, 0.1), opacity: 0.18, rotate: view.angle + (theta * 180) / Math.PI });
}
