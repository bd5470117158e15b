import mongoose, { type ClientSession, type Types } from 'mongoose';
import type { DomainContext } from '../context.js';
import type { AgreementTextRecord } from '../../models/agreement-text.js';
import type { DocumentRecord } from '../../models/document.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { anyWordStartPattern, escapeRegex, normaliseSearchText, searchWords, wordStartPattern } from './derived-fields.js';

/** Words are stored (and looked up) cut at this many characters: index keys stay small. */
export const TEXT_WORD_MAX = 40;
/** A query's key word must be at least this long: shorter ones would read most texts. */
const MIN_KEY_LENGTH = 3;
/**
 * At most this many texts are read for one search, before visibility and the other filters: a
 * query word held by more texts than that makes the answer a lower bound (totalExact false).
 */
export const TEXT_SCAN_LIMIT = 5000;
/** Characters of context on each side of a match in an excerpt. */
const EXCERPT_CONTEXT = 80;

/** What a text entry stores for search, from its plain text. */
export function textFields(plain: string): Pick<AgreementTextRecord, 'text' | 'searchText' | 'words'> {
  const text = plain.replace(/\s+/g, ' ').trim();
  const searchText = normaliseSearchText(text);
  const words = new Set<string>();
  for (const w of searchWords(searchText)) words.add(cutWord(w));
  return { text, searchText, words: [...words] };
}

const cutWord = (w: string) => Array.from(w).slice(0, TEXT_WORD_MAX).join('');

/**
 * The index condition for a query: every word but the last is whole in a matching text (the
 * phrase starts at a word start and its inner words are bounded by separators), so the longest
 * of them is looked up exactly; a one-word query is looked up by prefix (an anchored regex,
 * which MongoDB and the embedded server both answer from the index). Undefined: no word long
 * enough, and the texts are not searched.
 */
export function textKeyCondition(phrase: string): unknown {
  const words = searchWords(phrase);
  if (words.length === 0) return undefined;
  const whole = words.slice(0, -1).sort((a, b) => Array.from(b).length - Array.from(a).length)[0];
  if (whole && Array.from(whole).length >= MIN_KEY_LENGTH) return cutWord(whole);
  const last = words[words.length - 1]!;
  if (Array.from(last).length < MIN_KEY_LENGTH) return undefined;
  return mongoose.trusted({ $regex: `^${escapeRegex(cutWord(last))}` });
}

/** The filter over agreement_texts for a (normalised) phrase, or undefined when it has no key. */
function entryFilter(phrase: string): Record<string, unknown> | undefined {
  const key = textKeyCondition(phrase);
  if (key === undefined) return undefined;
  return { words: key, searchText: mongoose.trusted({ $regex: wordStartPattern(phrase) }) };
}

/**
 * The filter for a query's phrases (searchPhrases): one indexed branch per phrase that has a key,
 * so that "K/L", too short to look up, still finds the texts that spell out "Kementerian/Lembaga".
 */
function entriesFilter(phrases: readonly string[]): Record<string, unknown> | undefined {
  const branches = phrases.map(entryFilter).filter((f): f is Record<string, unknown> => f !== undefined);
  if (branches.length <= 1) return branches[0];
  return { $or: branches };
}

/** The agreements whose texts or comments hold one of the phrases (read up to TEXT_SCAN_LIMIT texts). */
export async function agreementsMatchingTexts(ctx: DomainContext, phrases: readonly string[]): Promise<{ ids: Types.ObjectId[]; exact: boolean }> {
  const filter = entriesFilter(phrases);
  if (!filter) return { ids: [], exact: true };
  const rows = await ctx.models.AgreementText.find(filter, { agreementId: 1, _id: 0 }).limit(TEXT_SCAN_LIMIT + 1).lean<Array<Pick<AgreementTextRecord, 'agreementId'>>>();
  const exact = rows.length <= TEXT_SCAN_LIMIT;
  const ids = new Map<string, Types.ObjectId>();
  for (const r of rows.slice(0, TEXT_SCAN_LIMIT)) ids.set(String(r.agreementId), r.agreementId);
  return { ids: [...ids.values()], exact };
}

/** Where an agreement was found by its texts: the document version or comment, and a short excerpt. */
export interface TextMatch {
  in: 'document' | 'comment';
  document?: { id: string; kind: string; language: string; version: number; fileName: string };
  comment?: { id: string; author: string | null; at: Date };
  excerpt: string;
}

/**
 * One match per agreement of a page (a document before a comment, the newest first), its excerpt
 * cut in the database so that whole texts never travel. Called only with agreements the reader
 * may see (the page itself), so an excerpt never leaks a hidden agreement's text.
 */
export async function textMatchesFor(ctx: DomainContext, agreementIds: Types.ObjectId[], phrases: readonly string[]): Promise<Map<string, TextMatch>> {
  const filter = entriesFilter(phrases);
  const out = new Map<string, TextMatch>();
  if (!filter || agreementIds.length === 0) return out;
  const pattern = anyWordStartPattern(phrases);
  const phraseLength = Math.max(...phrases.map((p) => Array.from(p).length));
  const rows = await ctx.models.AgreementText.aggregate<{
    _id: Types.ObjectId;
    hit: Pick<AgreementTextRecord, '_id' | 'source' | 'document' | 'author' | 'at'> & { text: string; searchText: string };
  }>([
    { $match: { agreementId: { $in: agreementIds }, ...filter } },
    { $addFields: { rank: { $cond: [{ $eq: ['$source', 'document'] }, 0, 1] } } },
    { $sort: { agreementId: 1, rank: 1, at: -1, _id: 1 } },
    { $group: { _id: '$agreementId', hit: { $first: '$$ROOT' } } },
    {
      $project: {
        hit: {
          _id: '$hit._id',
          source: '$hit.source',
          document: '$hit.document',
          author: '$hit.author',
          at: '$hit.at',
          found: { $regexFind: { input: '$hit.searchText', regex: pattern } },
          text: '$hit.text',
        },
      },
    },
    {
      $project: {
        'hit._id': 1,
        'hit.source': 1,
        'hit.document': 1,
        'hit.author': 1,
        'hit.at': 1,
        'hit.start': { $max: [0, { $subtract: [{ $ifNull: ['$hit.found.idx', 0] }, EXCERPT_CONTEXT] }] },
        'hit.text': {
          $substrCP: ['$hit.text', { $max: [0, { $subtract: [{ $ifNull: ['$hit.found.idx', 0] }, EXCERPT_CONTEXT] }] }, EXCERPT_CONTEXT * 2 + Math.min(phraseLength, 120)],
        },
        'hit.whole': { $lte: [{ $strLenCP: '$hit.text' }, { $add: [{ $max: [0, { $subtract: [{ $ifNull: ['$hit.found.idx', 0] }, EXCERPT_CONTEXT] }] }, EXCERPT_CONTEXT * 2 + Math.min(phraseLength, 120)] }] },
      },
    },
  ]);
  for (const { _id, hit } of rows) {
    const h = hit as typeof hit & { start: number; whole: boolean };
    const excerpt = `${h.start > 0 ? '… ' : ''}${trimToWords(h.text, h.start > 0, !h.whole)}${h.whole ? '' : ' …'}`;
    out.set(String(_id), {
      in: h.source,
      ...(h.source === 'document' && h.document ? { document: { id: String(h._id), ...h.document } } : {}),
      ...(h.source === 'comment' ? { comment: { id: String(h._id), author: h.author ?? null, at: h.at } } : {}),
      excerpt,
    });
  }
  return out;
}

/** Drops the partial words at the cut ends of an excerpt. */
function trimToWords(s: string, cutStart: boolean, cutEnd: boolean): string {
  let t = s;
  if (cutStart) t = t.replace(/^\S*\s/, '');
  if (cutEnd) t = t.replace(/\s\S*$/, '');
  return t.trim();
}

/** Stores a document version's extracted text (with the version's record, in its transaction). */
export async function recordDocumentText(ctx: DomainContext, doc: Pick<DocumentRecord, '_id' | 'agreementId' | 'kind' | 'language' | 'version' | 'fileName' | 'createdAt'>, text: string, session?: ClientSession): Promise<void> {
  if (!text) return;
  await ctx.models.AgreementText.create(
    [{ _id: doc._id, agreementId: doc.agreementId, source: 'document', document: { kind: doc.kind, language: doc.language, version: doc.version, fileName: doc.fileName }, at: doc.createdAt, ...textFields(text) }],
    { session },
  );
}

/**
 * Stores the text of a version stored before text search (the start-up backfill): written again
 * for the same version, as two instances starting together may, it changes nothing.
 */
export async function recordEarlierDocumentText(ctx: DomainContext, doc: Pick<DocumentRecord, '_id' | 'agreementId' | 'kind' | 'language' | 'version' | 'fileName' | 'createdAt'>, text: string): Promise<void> {
  if (!text) return;
  await ctx.models.AgreementText.updateOne(
    { _id: doc._id },
    { $setOnInsert: { agreementId: doc.agreementId, source: 'document', document: { kind: doc.kind, language: doc.language, version: doc.version, fileName: doc.fileName }, at: doc.createdAt, ...textFields(text) } },
    { upsert: true },
  );
}

/** Stores a comment's text for search; written again for the same comment, it changes nothing. */
export async function recordCommentText(ctx: DomainContext, event: Pick<HistoryEventRecord, '_id' | 'agreementId' | 'actor' | 'at' | 'changes'>): Promise<void> {
  const text = typeof event.changes.text === 'string' ? event.changes.text : '';
  if (!text.trim()) return;
  await ctx.models.AgreementText.updateOne(
    { _id: event._id },
    { $setOnInsert: { agreementId: event.agreementId, source: 'comment', author: event.actor.name ?? null, at: event.at, ...textFields(text) } },
    { upsert: true },
  );
}
