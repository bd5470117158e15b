import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { AppError } from '../errors.js';

/**
 * Which passwords are refused, after NIST SP 800-63B (5.1.1.2): fewer than MIN_PASSWORD_LENGTH
 * characters; one equal to or containing the name of the account's e-mail address; and any that a
 * cracker would try early: common and breached passwords, dictionary words, repeats, sequences,
 * keyboard walks, dates, the person's own name (zxcvbn-ts with its common and English
 * dictionaries, which estimates the guesses these patterns take). No composition rules (NIST
 * advises against them): a long phrase of ordinary words is welcome, spaces included.
 */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
/** zxcvbn's score 3: about 10^8 guesses, "safely unguessable" against online attacks and slowed offline ones. */
const MIN_SCORE = 3;
/** Words that name this service: a password built on them is among the first an attacker tries here. */
const SERVICE_WORDS = ['pwni', 'kemlu', 'perjanjian', 'agreement', 'tracker', 'pelacak'];

export type PasswordReason = 'too_short' | 'too_long' | 'contains_email_name' | 'common' | 'repeated' | 'sequence' | 'keyboard' | 'date' | 'personal' | 'guessable';

const REASONS: Record<PasswordReason, string> = {
  too_short: `Password must have at least ${MIN_PASSWORD_LENGTH} characters / Kata sandi minimal ${MIN_PASSWORD_LENGTH} karakter`,
  too_long: `Password must have at most ${MAX_PASSWORD_LENGTH} characters / Kata sandi maksimal ${MAX_PASSWORD_LENGTH} karakter`,
  contains_email_name: 'Password must not contain the name of the e-mail address / Kata sandi tidak boleh memuat nama alamat e-mail',
  common: 'Password is on a list of commonly used or leaked passwords / Kata sandi termasuk daftar kata sandi yang umum dipakai atau pernah bocor',
  repeated: 'Password is mostly repeated characters or words / Kata sandi sebagian besar berupa karakter atau kata yang diulang',
  sequence: 'Password is an easy sequence such as abcd or 1234 / Kata sandi berupa urutan mudah seperti abcd atau 1234',
  keyboard: 'Password is a keyboard pattern such as qwerty / Kata sandi berupa pola papan ketik seperti qwerty',
  date: 'Password is mostly a date or a year / Kata sandi sebagian besar berupa tanggal atau tahun',
  personal: "Password is built from the person's name, the e-mail or this service's name / Kata sandi disusun dari nama, e-mail, atau nama layanan ini",
  guessable: 'Password is too easy to guess: use a longer phrase of unrelated words / Kata sandi terlalu mudah ditebak: gunakan frasa yang lebih panjang dari kata-kata yang tidak berkaitan',
};

let factory: ZxcvbnFactory | undefined;
/** Built on first use: the dictionaries take a moment to rank, and most processes never set a password. */
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return factory;
}

/** The local part of an address ("budi.santoso" of budi.santoso@kemlu.go.id), lower case. */
const emailName = (email: string | undefined) => (email ?? '').split('@')[0].normalize('NFKC').toLowerCase();

/** Why this password is refused for this account, or null when it is acceptable. */
export function passwordRefusal(password: string, account: { email?: string; name?: string }): PasswordReason | null {
  // the same form as the hash sees (domain/accounts/password.ts)
  const normal = password.normalize('NFKC');
  if ([...normal].length < MIN_PASSWORD_LENGTH) return 'too_short';
  if ([...normal].length > MAX_PASSWORD_LENGTH) return 'too_long';
  const local = emailName(account.email);
  // "budi.santoso" is in "Budi_Santoso-2026" too: compared on letters and digits alone
  const squash = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  if (local.length > 0 && (normal.toLowerCase().includes(local) || (squash(local).length >= 3 && squash(normal).includes(squash(local))))) {
    return 'contains_email_name';
  }
  const personal = [local, ...local.split(/[._+-]+/), ...(account.name ?? '').toLowerCase().split(/\s+/)].filter((w) => w.length >= 3);
  const result = estimator().check(normal, [...new Set([...personal, ...SERVICE_WORDS])]);
  return result.score >= MIN_SCORE ? null : reasonOf(result);
}

/** The pattern that made it guessable: the one covering most of the password. */
function reasonOf(result: ZxcvbnResult): PasswordReason {
  const main = [...result.sequence].sort((a, b) => b.token.length - a.token.length)[0];
  if (!main) return 'guessable';
  const dictionaryName = (main as { dictionaryName?: string }).dictionaryName ?? '';
  if (main.pattern === 'dictionary' && dictionaryName === 'userInputs') return 'personal';
  if (main.pattern === 'dictionary' && /passwords/i.test(dictionaryName)) return 'common';
  if (main.pattern === 'repeat') return 'repeated';
  if (main.pattern === 'sequence') return 'sequence';
  if (main.pattern === 'spatial') return 'keyboard';
  if (main.pattern === 'date' || main.pattern === 'regex') return 'date';
  return 'guessable';
}

export function passwordReasonText(reason: PasswordReason): string {
  return REASONS[reason];
}

/** 422 naming `field` with the reason in both languages, when the password is refused. */
export function assertAcceptablePassword(password: string, account: { email?: string; name?: string }, field = 'password'): void {
  const reason = passwordRefusal(password, account);
  if (!reason) return;
  throw new AppError('validation_failed', `Password refused / Kata sandi ditolak: ${REASONS[reason]}`, [{ field, message: REASONS[reason], type: `password.${reason}` }]);
}
