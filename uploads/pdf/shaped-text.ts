import bidiFactory from 'bidi-js';
import * as hb from 'harfbuzzjs';
import {
  beginText,
  endText,
  popGraphicsState,
  pushGraphicsState,
  setFillingRgbColor,
  setFontAndSize,
  setGraphicsState,
  setTextMatrix,
  setTextRise,
  PDFArray,
  PDFHexString,
  PDFName,
  PDFNumber,
  PDFOperator,
  PDFOperatorNames,
  PDFString,
  type PDFDocument,
  type PDFPage,
  type PDFRef,
  type RGB,
} from '@cantoo/pdf-lib';
import { FAMILIES, faceOf, type FontStyle, type LoadedFace } from './fonts.js';

// bidi-js ships CommonJS whose module.exports is the factory; its types declare an ES default export
const bidi = (bidiFactory as unknown as typeof bidiFactory.default)();

/** One glyph as HarfBuzz placed it, in visual order (left to right on the page). */
interface PlacedGlyph {
  face: LoadedFace;
  gid: number;
  /** the characters this glyph stands for, in logical order ('' for the further glyphs of a cluster) */
  text: string;
  /** in thousandths of the font size */
  advance: number;
  xOffset: number;
  yOffset: number;
}

export interface ShapedLine {
  glyphs: PlacedGlyph[];
  /** in thousandths of the font size */
  width: number;
  /** the paragraph direction (from its first strong character): right-to-left lines are set flush right */
  rtl: boolean;
}

/**
 * The paragraph direction of a line. 'auto' takes it from the first strong character, which is
 * right for a value on its own (a name); a line whose template reads left to right, or text whose
 * language is known, says so, since its first letter may belong to a word of the other direction.
 */
export type Direction = 'ltr' | 'rtl' | 'auto';

export interface DrawOptions {
  x: number;
  y: number;
  size: number;
  style?: FontStyle;
  color?: RGB;
  /** 0..1 */
  opacity?: number;
  /** degrees, anticlockwise about (x, y) */
  rotate?: number;
  /** with a width, a right-to-left line is set flush with the right edge of [x, x + width] */
  width?: number;
  direction?: Direction;
}

/** Characters whose bidi class marks them as Arabic script (or right-to-left): the Arabic font is tried first. */
const RIGHT_TO_LEFT = new Set(['R', 'AL', 'AN']);
/** Characters of no script of their own: they stay in the font of what precedes them, so a run is not cut. */
const NEUTRAL = new Set(['EN', 'ES', 'ET', 'CS', 'WS', 'ON', 'BN', 'NSM', 'S']);

/**
 * Text for generated PDFs in any script the embedded Noto fonts cover: HarfBuzz shapes each run
 * (Arabic joining forms, lam-alef, mark positions), bidi-js orders the runs (Unicode bidirectional
 * algorithm), and the glyphs are drawn with the font subsets embedded by finish(). Each glyph is
 * given its own character code with the characters it stands for in the ToUnicode map, so a PDF
 * reader's copy, search and text extraction give back the text as written, in logical order.
 *
 * One instance per document; call finish() once before saving.
 */
export class PdfText {
  private readonly embedded = new Map<LoadedFace, EmbeddedFace>();
  private readonly pageFonts = new WeakMap<PDFPage, Map<LoadedFace, PDFName>>();
  private readonly shapes = new Map<string, ShapedLine>();
  private finished = false;

  constructor(private readonly doc: PDFDocument) {}

  /** Width in points. */
  width(text: string, size: number, style: FontStyle = 'regular', direction: Direction = 'auto'): number {
    return (this.shape(text, style, direction).width * size) / 1000;
  }

  /** Shrinks the size until the text fits the width (never below minSize). */
  fitSize(text: string, size: number, width: number, style: FontStyle = 'regular', minSize = 4): number {
    const natural = this.width(text, 1, style);
    if (natural * size <= width) return size;
    return Math.max(minSize, Math.floor((width / natural) * 2) / 2);
  }

  /** Greedy word wrap to a width, in logical order; very long words are cut between characters. */
  wrap(text: string, size: number, width: number, style: FontStyle = 'regular', direction: Direction = 'auto'): string[] {
    const fits = (t: string) => this.width(t, size, style, direction) <= width;
    const lines: string[] = [];
    let line = '';
    for (let word of clean(text).split(' ').filter(Boolean)) {
      while (!fits(word) && [...word].length > 1) {
        const chars = [...word];
        let cut = chars.length - 1;
        while (cut > 1 && !fits(chars.slice(0, cut).join(''))) cut--;
        if (line) lines.push(line);
        lines.push(chars.slice(0, cut).join(''));
        line = '';
        word = chars.slice(cut).join('');
      }
      const candidate = line ? `${line} ${word}` : word;
      if (fits(candidate)) line = candidate;
      else {
        if (line) lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
    return lines.length ? lines : [''];
  }

  /** True when the line reads right to left (given so, or its first strong character is Arabic, for instance). */
  isRtl(text: string, direction: Direction = 'auto'): boolean {
    return this.shape(text, 'regular', direction).rtl;
  }

  /** Draws one line with its baseline at (x, y). */
  draw(page: PDFPage, text: string, options: DrawOptions): void {
    if (this.finished) throw new Error('PdfText: draw after finish');
    const line = this.shape(text, options.style ?? 'regular', options.direction);
    if (line.glyphs.length === 0) return;
    const { size } = options;
    const angle = ((options.rotate ?? 0) * Math.PI) / 180;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    const shift = options.width !== undefined && line.rtl ? options.width - (line.width * size) / 1000 : 0;
    const ops: PDFOperator[] = [pushGraphicsState()];
    if (options.opacity !== undefined && options.opacity < 1) {
      const state = this.doc.context.obj({ Type: 'ExtGState', ca: options.opacity, CA: options.opacity });
      ops.push(setGraphicsState(page.node.newExtGState('GS', state)));
    }
    const color = options.color;
    if (color) ops.push(setFillingRgbColor(color.red, color.green, color.blue));
    ops.push(beginText(), setTextMatrix(cos, sin, -sin, cos, options.x + shift * cos, options.y + shift * sin));

    // consecutive glyphs of one font go into one TJ; a glyph HarfBuzz lifts or moves sideways (a
    // mark on its base) is shown on its own with a text rise and a move before and after
    let current: LoadedFace | undefined;
    let items: Array<PDFHexString | PDFNumber> = [];
    const flush = () => {
      if (!items.length) return;
      const array = PDFArray.withContext(this.doc.context);
      for (const item of items) array.push(item);
      ops.push(PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [array]));
      items = [];
    };
    for (const g of line.glyphs) {
      if (g.face !== current) {
        flush();
        current = g.face;
        ops.push(setFontAndSize(this.fontOnPage(page, g.face), size));
      }
      const embedded = this.embeddedFace(g.face);
      const code = embedded.codeFor(g.gid, g.text);
      const hex = PDFHexString.of(code.toString(16).padStart(4, '0'));
      // the PDF advances by the glyph's own width (the /W entry); TJ numbers correct that to
      // HarfBuzz's advance (kerning, zero-width marks); positive numbers move left
      const natural = embedded.widthOf(g.gid);
      if (g.yOffset !== 0) {
        flush();
        if (g.xOffset) items.push(PDFNumber.of(round(-g.xOffset)));
        ops.push(setTextRise((g.yOffset * size) / 1000));
        items.push(hex);
        flush();
        ops.push(setTextRise(0));
        const back = natural - g.advance + g.xOffset;
        if (back) items.push(PDFNumber.of(round(back)));
      } else {
        if (g.xOffset) items.push(PDFNumber.of(round(-g.xOffset)));
        items.push(hex);
        const back = natural - g.advance + g.xOffset;
        if (back) items.push(PDFNumber.of(round(back)));
      }
    }
    flush();
    ops.push(endText(), popGraphicsState());
    page.pushOperators(...ops);
  }

  /** Writes the subset of each font used into the document. Call once, after the last draw. */
  async finish(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    for (const embedded of this.embedded.values()) embedded.write(this.doc);
  }

  private embeddedFace(face: LoadedFace): EmbeddedFace {
    let e = this.embedded.get(face);
    if (!e) {
      e = new EmbeddedFace(face, this.doc.context.nextRef());
      this.embedded.set(face, e);
    }
    return e;
  }

  private fontOnPage(page: PDFPage, face: LoadedFace): PDFName {
    let fonts = this.pageFonts.get(page);
    if (!fonts) {
      fonts = new Map();
      this.pageFonts.set(page, fonts);
    }
    let name = fonts.get(face);
    if (!name) {
      name = page.node.newFontDictionary(face.postscriptName.replace(/[^A-Za-z0-9]/g, ''), this.embeddedFace(face).ref);
      fonts.set(face, name);
    }
    return name;
  }

  private shape(raw: string, style: FontStyle, direction: Direction = 'auto'): ShapedLine {
    const key = `${style}\u0000${direction}\u0000${raw}`;
    let shaped = this.shapes.get(key);
    if (!shaped) {
      shaped = shapeLine(clean(raw), style, direction);
      this.shapes.set(key, shaped);
    }
    return shaped;
  }
}

/** NFC, and no control characters: line breaks and tabs become spaces (callers wrap lines themselves). */
function clean(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[\t\n\r\v\f\u2028\u2029]/g, ' ')
    .replace(/\p{Cc}/gu, '');
}

const round = (n: number) => Math.round(n * 100) / 100;

interface Run {
  start: number;
  end: number;
  level: number;
  face: LoadedFace;
}

/**
 * Splits the line into runs of one embedding level and one font, shapes each with HarfBuzz (which
 * returns a right-to-left run's glyphs already reversed, with mirrored brackets), and puts the
 * runs in visual order with bidi-js's reordering of the characters.
 */
export function shapeLine(text: string, style: FontStyle, direction: Direction = 'auto'): ShapedLine {
  if (!text) return { glyphs: [], width: 0, rtl: direction === 'rtl' };
  const { levels, paragraphs } = bidi.getEmbeddingLevels(text, direction);
  const rtl = (paragraphs[0]?.level ?? 0) % 2 === 1;
  const faces = FAMILIES.map((f) => faceOf(f, style));

  // the font of each character (by UTF-16 index; the low half of a pair follows its high half)
  const faceAt: LoadedFace[] = new Array(text.length);
  let previous: LoadedFace | undefined;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const units = cp > 0xffff ? 2 : 1;
    const type = bidi.getBidiCharTypeName(String.fromCodePoint(cp));
    let face: LoadedFace | undefined;
    if (NEUTRAL.has(type) && previous?.covers.has(cp)) face = previous;
    else {
      const order = RIGHT_TO_LEFT.has(type) ? [...faces].reverse() : faces;
      face = order.find((f) => f.covers.has(cp));
    }
    // no font has it: the Latin font's .notdef box stands in (the ToUnicode map still says what it was)
    face ??= faces[0];
    for (let u = 0; u < units; u++) faceAt[i + u] = face;
    previous = face;
    i += units;
  }

  const runs: Run[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = runs[runs.length - 1];
    if (last && last.level === levels[i] && last.face === faceAt[i]) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, level: levels[i], face: faceAt[i] });
  }

  // visual position of each character, then each run (a run is contiguous on the page too)
  const order = Array.from({ length: text.length }, (_, i) => i);
  for (const [start, end] of bidi.getReorderSegments(text, { levels, paragraphs })) {
    order.splice(start, end - start + 1, ...order.slice(start, end + 1).reverse());
  }
  const visualAt = new Array<number>(text.length);
  order.forEach((logical, visual) => (visualAt[logical] = visual));
  runs.sort((a, b) => visualAt[a.start] - visualAt[b.start]);

  const glyphs: PlacedGlyph[] = [];
  let width = 0;
  for (const run of runs) {
    for (const g of shapeRun(text.slice(run.start, run.end), run)) {
      glyphs.push(g);
      width += g.advance;
    }
  }
  return { glyphs, width, rtl };
}

function shapeRun(text: string, run: Run): PlacedGlyph[] {
  const { face } = run;
  const buffer = new hb.Buffer();
  buffer.addText(text);
  // a mark keeps its own cluster (and so its own ToUnicode entry); only ligatures share one
  buffer.setClusterLevel(hb.ClusterLevel.MONOTONE_CHARACTERS);
  buffer.setDirection(run.level % 2 === 1 ? hb.Direction.RTL : hb.Direction.LTR);
  buffer.guessSegmentProperties();
  hb.shape(face.hbFont, buffer);
  const infos = buffer.getGlyphInfos();
  const positions = buffer.getGlyphPositions();
  // clusters are UTF-16 offsets into the run; a cluster's text runs to the next cluster
  const starts = [...new Set(infos.map((g) => g.cluster))].sort((a, b) => a - b);
  const textOf = new Map(starts.map((s, i) => [s, text.slice(s, starts[i + 1] ?? text.length)]));
  const scale = 1000 / face.upem;
  const glyphs = infos.map((info, i) => ({
    face,
    gid: info.codepoint,
    text: '',
    advance: positions[i].xAdvance * scale,
    xOffset: positions[i].xOffset * scale,
    yOffset: positions[i].yOffset * scale,
    cluster: info.cluster,
  }));
  // the first glyph of a cluster in reading order carries its characters
  const rtl = run.level % 2 === 1;
  const logical = rtl ? [...glyphs].reverse() : glyphs;
  const given = new Set<number>();
  for (const g of logical) {
    if (given.has(g.cluster)) continue;
    given.add(g.cluster);
    const chars = textOf.get(g.cluster) ?? '';
    // Text extractors (pdf.js, poppler) read a right-to-left run in page order and reverse the
    // characters they got, a ligature's too: lam-alef mapped to "لا" comes back as "ال". Mapping
    // it in page order makes the extracted text the logical one.
    g.text = rtl ? [...chars].reverse().join('') : chars;
  }
  return glyphs.map(({ cluster: _cluster, ...g }) => g);
}

/**
 * One font as it goes into the PDF: a Type0 font whose character codes are ours (one per glyph
 * and text pair, so a glyph reached from two spellings still copies back as each), mapped to the
 * subset's glyphs by a CIDToGIDMap and to Unicode by a ToUnicode CMap.
 */
class EmbeddedFace {
  /** code 0 stays .notdef */
  private readonly entries: Array<{ gid: number; text: string }> = [{ gid: 0, text: '' }];
  private readonly codes = new Map<string, number>();
  private readonly widths = new Map<number, number>();

  constructor(
    private readonly face: LoadedFace,
    readonly ref: PDFRef,
  ) {}

  codeFor(gid: number, text: string): number {
    const key = `${gid}\u0000${text}`;
    let code = this.codes.get(key);
    if (code === undefined) {
      code = this.entries.length;
      if (code > 0xffff) throw new Error('PdfText: more than 65,535 distinct glyphs in one font');
      this.entries.push({ gid, text });
      this.codes.set(key, code);
    }
    return code;
  }

  /** The glyph's advance in the font, in thousandths of the size (what the PDF's /W says). */
  widthOf(gid: number): number {
    let w = this.widths.get(gid);
    if (w === undefined) {
      w = round((this.face.fontkit.getGlyph(gid).advanceWidth * 1000) / this.face.upem);
      this.widths.set(gid, w);
    }
    return w;
  }

  write(doc: PDFDocument): void {
    const { context } = doc;
    const kit = this.face.fontkit;
    const subset = kit.createSubset();
    // fontkit returns the glyph's id in the subset (its type declarations say boolean)
    const newGid = this.entries.map((e) => subset.includeGlyph(kit.getGlyph(e.gid)) as unknown as number);
    const program = subset.encode();
    const scale = 1000 / this.face.upem;
    const name = `${subsetTag(this.entries)}+${this.face.postscriptName}`;
    const fontFile = context.register(context.flateStream(program, { Length1: program.length }));
    const descriptor = context.register(
      context.obj({
        Type: 'FontDescriptor',
        FontName: name,
        Flags: 4,
        FontBBox: [kit.bbox.minX * scale, kit.bbox.minY * scale, kit.bbox.maxX * scale, kit.bbox.maxY * scale].map(Math.round),
        ItalicAngle: kit.italicAngle,
        Ascent: Math.round(kit.ascent * scale),
        Descent: Math.round(kit.descent * scale),
        CapHeight: Math.round((kit.capHeight || kit.ascent) * scale),
        StemV: 0,
        FontFile2: fontFile,
      }),
    );
    const cidToGid = new Uint8Array(this.entries.length * 2);
    newGid.forEach((g, code) => {
      cidToGid[code * 2] = g >> 8;
      cidToGid[code * 2 + 1] = g & 0xff;
    });
    const widths: number[] = this.entries.map((e) => this.widthOf(e.gid));
    const cidFont = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: name,
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptor,
        W: [0, widths],
        CIDToGIDMap: context.register(context.flateStream(cidToGid)),
      }),
    );
    const toUnicode = context.register(context.flateStream(toUnicodeCMap(this.entries)));
    context.assign(
      this.ref,
      context.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: name, Encoding: 'Identity-H', DescendantFonts: [cidFont], ToUnicode: toUnicode }),
    );
  }
}

/** Six capital letters that differ between subsets of one font (ISO 32000-1, 9.6.4). */
function subsetTag(entries: Array<{ gid: number }>): string {
  let h = 2166136261;
  for (const e of entries) h = Math.imul(h ^ e.gid, 16777619) >>> 0;
  let tag = '';
  for (let i = 0; i < 6; i++) {
    tag += String.fromCharCode(65 + (h % 26));
    h = Math.floor(h / 26) + i * 7;
  }
  return tag;
}

function utf16Hex(text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0');
  return hex;
}

function toUnicodeCMap(entries: Array<{ text: string }>): string {
  const mapped = entries.map((e, code) => ({ code, text: e.text })).filter((e) => e.text);
  const chunks: string[] = [];
  for (let i = 0; i < mapped.length; i += 100) {
    const part = mapped.slice(i, i + 100);
    chunks.push(`${part.length} beginbfchar\n${part.map((e) => `<${e.code.toString(16).padStart(4, '0')}> <${utf16Hex(e.text)}>`).join('\n')}\nendbfchar`);
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <ffff>',
    'endcodespacerange',
    ...chunks,
    'endcmap',
    'CMapName currentdict /CIDInit /ProcSet findresource exec /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}

