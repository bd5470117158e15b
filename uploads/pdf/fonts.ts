import fs from 'node:fs';
import * as fontkit from 'fontkit';
import * as hb from 'harfbuzzjs';

export type FontStyle = 'regular' | 'bold';
export type FontFamily = 'latin' | 'arabic' | 'thai';

/**
 * One font file, open twice: HarfBuzz shapes with it (Arabic joining, ligatures, mark positions),
 * fontkit cuts the subset that goes into the PDF and gives the metrics of its descriptor. Both
 * read the same bytes, so HarfBuzz's glyph ids are fontkit's.
 */
export interface LoadedFace {
  family: FontFamily;
  style: FontStyle;
  postscriptName: string;
  upem: number;
  hbFont: hb.Font;
  fontkit: fontkit.Font;
  /** the code points the font has a glyph for (from its cmap) */
  covers: Set<number>;
}

/**
 * Noto Sans for Latin (with Greek, Cyrillic and Vietnamese), Noto Naskh Arabic and Noto Sans Thai,
 * as TrueType files from their npm packages (HarfBuzz needs plain sfnt data, which the WOFF/WOFF2
 * files of the @fontsource packages are not). The order is the fallback order for characters
 * more than one covers. Each file is named relative to what the package's entry resolves to: the
 * @embedpdf packages export only dist/index.js, with the fonts in ../fonts beside it; Expo's
 * Google Fonts package has its index at the root and one folder per weight.
 */
const FILES: Record<FontFamily, { pkg: string; files: Record<FontStyle, string> }> = {
  latin: { pkg: '@embedpdf/fonts-latin', files: { regular: '../fonts/NotoSans-Regular.ttf', bold: '../fonts/NotoSans-Bold.ttf' } },
  arabic: { pkg: '@embedpdf/fonts-arabic', files: { regular: '../fonts/NotoNaskhArabic-Regular.ttf', bold: '../fonts/NotoNaskhArabic-Bold.ttf' } },
  thai: { pkg: '@expo-google-fonts/noto-sans-thai', files: { regular: './400Regular/NotoSansThai_400Regular.ttf', bold: './700Bold/NotoSansThai_700Bold.ttf' } },
};

export const FAMILIES: readonly FontFamily[] = ['latin', 'arabic', 'thai'];

function fontPath(family: FontFamily, style: FontStyle): string {
  const { pkg, files } = FILES[family];
  return new URL(files[style], import.meta.resolve(pkg)).pathname;
}

function loadFace(family: FontFamily, style: FontStyle): LoadedFace {
  const bytes = fs.readFileSync(fontPath(family, style));
  const face = new hb.Face(new hb.Blob(bytes));
  const kit = fontkit.create(bytes);
  if (!('createSubset' in kit)) throw new Error(`${fontPath(family, style)} is a font collection, not a font`);
  return {
    family,
    style,
    postscriptName: kit.postscriptName,
    upem: face.upem,
    hbFont: new hb.Font(face),
    fontkit: kit,
    covers: new Set(face.collectUnicodes()),
  };
}

/**
 * Parsed once per process (each PDF worker thread has its own): the files are read-only and
 * parsing them costs more than a whole stamp of a short file. About 1 MB of font data per style.
 */
const loaded = new Map<string, LoadedFace>();

export function faceOf(family: FontFamily, style: FontStyle): LoadedFace {
  const key = `${family}/${style}`;
  let face = loaded.get(key);
  if (!face) {
    face = loadFace(family, style);
    loaded.set(key, face);
  }
  return face;
}
