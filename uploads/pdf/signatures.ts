import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFDocument, type PDFObject } from '@cantoo/pdf-lib';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import type { CertificateFacts, SignatureFacts } from '../../models/document.js';

export type { SignatureFacts, SignatureStatus } from '../../models/document.js';

/** SubFilters whose /Contents is a detached CMS SignedData over the /ByteRange (PAdES basic and baseline). */
const SUPPORTED_SUBFILTERS = ['adbe.pkcs7.detached', 'ETSI.CAdES.detached'];

const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

/** A signature dictionary located in the file, before any cryptography. */
interface FoundSignature {
  field: string | null;
  dict: PDFDict;
}

/**
 * Finds signature dictionaries: every indirect /Type /Sig dictionary, and the /V of every /FT /Sig
 * field (which may be a direct object). Indirect objects are visited one by one, like the active
 * content walk, so a cyclic structure cannot trap us.
 */
export function findSignatureDictionaries(doc: PDFDocument): FoundSignature[] {
  const found = new Map<PDFDict, FoundSignature>();
  const context = doc.context;
  const deref = (obj: PDFObject | undefined): PDFObject | undefined => (obj instanceof PDFRef ? context.lookup(obj) : obj);
  for (const [, obj] of context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict)) continue;
    if (obj.get(PDFName.of('FT')) === PDFName.of('Sig')) {
      const value = deref(obj.get(PDFName.of('V')));
      if (value instanceof PDFDict && isSignatureDict(value)) found.set(value, { field: textOf(obj.get(PDFName.of('T'))), dict: value });
    } else if (isSignatureDict(obj) && !found.has(obj)) {
      found.set(obj, { field: null, dict: obj });
    }
  }
  return [...found.values()];
}

function isSignatureDict(dict: PDFDict): boolean {
  const type = dict.get(PDFName.of('Type'));
  const typed = type === undefined || type === PDFName.of('Sig');
  return typed && dict.has(PDFName.of('ByteRange')) && dict.has(PDFName.of('Contents')) && (type === PDFName.of('Sig') || dict.has(PDFName.of('Filter')));
}

function textOf(obj: PDFObject | undefined): string | null {
  if (obj instanceof PDFString || obj instanceof PDFHexString) return obj.decodeText();
  return null;
}

/**
 * Finds and checks every signature of a PDF. The cryptography is pkijs's (CMS, certificates,
 * chain building); what is ours is which bytes are signed and what the answers mean.
 */
export async function checkSignatures(doc: PDFDocument, bytes: Uint8Array, trustedRootsDer: readonly Uint8Array[]): Promise<SignatureFacts[]> {
  const found = findSignatureDictionaries(doc);
  if (found.length === 0) return [];
  const roots = trustedRootsDer.map((der) => pkijs.Certificate.fromBER(new Uint8Array(der)));
  const results: SignatureFacts[] = [];
  for (const sig of found) results.push(await checkOne(sig, bytes, roots));
  // in file order: a later signature is one whose signed ranges end further on
  results.sort((a, b) => signedEnd(a) - signedEnd(b));
  for (const facts of results) {
    if (facts.appendedBytes === 0 || facts.status === 'broken' || facts.status === 'unsupported') continue;
    facts.laterSignatureCovers = results.some((later) => signedEnd(later) > signedEnd(facts) && later.coversWholeFile && later.digestMatches !== false && later.signatureVerified);
    if (!facts.laterSignatureCovers) facts.status = 'modified_after_signing';
  }
  return results;
}

const signedEnd = (f: SignatureFacts) => (f.byteRange.length === 4 ? f.byteRange[2] + f.byteRange[3] : 0);

async function checkOne(sig: FoundSignature, bytes: Uint8Array, roots: pkijs.Certificate[]): Promise<SignatureFacts> {
  const { dict } = sig;
  const subFilterObj = dict.get(PDFName.of('SubFilter'));
  const subFilter = subFilterObj instanceof PDFName ? subFilterObj.decodeText() : null;
  const facts: SignatureFacts = {
    field: sig.field,
    subFilter,
    signer: null,
    signingTime: null,
    claimedTime: parsePdfDate(textOf(dict.get(PDFName.of('M')))),
    byteRange: [],
    coversWholeFile: false,
    appendedBytes: 0,
    laterSignatureCovers: false,
    digestAlgorithm: null,
    digestMatches: null,
    signatureVerified: false,
    trusted: false,
    problems: [],
    status: 'broken',
  };
  const range = dict.get(PDFName.of('ByteRange'));
  if (range instanceof PDFArray) {
    for (let i = 0; i < range.size(); i++) {
      const n = range.get(i);
      facts.byteRange.push(n instanceof PDFNumber ? n.asNumber() : NaN);
    }
  }
  const rangeProblem = checkByteRange(facts.byteRange, bytes);
  if (rangeProblem) {
    facts.problems.push(rangeProblem);
    return facts;
  }
  const [a, b, c, d] = facts.byteRange;
  facts.coversWholeFile = c + d === bytes.length;
  facts.appendedBytes = bytes.length - (c + d);
  if (!subFilter || !SUPPORTED_SUBFILTERS.includes(subFilter)) {
    facts.status = 'unsupported';
    facts.problems.push(`SubFilter ${subFilter ?? '(none)'} is not checked by this service`);
    return facts;
  }
  const contents = dict.get(PDFName.of('Contents'));
  if (!(contents instanceof PDFHexString || contents instanceof PDFString)) {
    facts.problems.push('/Contents is not a string');
    return facts;
  }
  const signed = new Uint8Array(b + d);
  signed.set(bytes.subarray(a, a + b), 0);
  signed.set(bytes.subarray(c, c + d), b);

  let signedData: pkijs.SignedData;
  try {
    // /Contents is zero-padded after the DER: asn1js reads the first element and ignores the rest
    const asn1 = asn1js.fromBER(contents.asBytes());
    if (asn1.offset === -1) throw new Error(asn1.result.error || 'not DER');
    const info = new pkijs.ContentInfo({ schema: asn1.result });
    if (info.contentType !== OID_SIGNED_DATA) throw new Error(`content type ${info.contentType} is not SignedData`);
    signedData = new pkijs.SignedData({ schema: info.content });
    if (signedData.signerInfos.length === 0) throw new Error('no signer');
  } catch (err) {
    facts.problems.push(`the signature cannot be read: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
    return facts;
  }

  const signerInfo = signedData.signerInfos[0];
  const crypto = pkijs.getCrypto(true);
  const digestAlgorithm = crypto.getAlgorithmByOID<Algorithm>(signerInfo.digestAlgorithm.algorithmId, true).name;
  facts.digestAlgorithm = digestAlgorithm;
  const attrs = signerInfo.signedAttrs?.attributes ?? [];
  const messageDigest = attrs.find((attr) => attr.type === OID_MESSAGE_DIGEST)?.values[0];
  const signingTime = attrs.find((attr) => attr.type === OID_SIGNING_TIME)?.values[0];
  if (signingTime instanceof asn1js.UTCTime || signingTime instanceof asn1js.GeneralizedTime) facts.signingTime = signingTime.toDate();
  if (messageDigest instanceof asn1js.OctetString) {
    const actual = new Uint8Array(await crypto.digest({ name: digestAlgorithm }, signed));
    facts.digestMatches = Buffer.from(actual).equals(Buffer.from(messageDigest.valueBlock.valueHexView));
    if (!facts.digestMatches) facts.problems.push('the signed bytes do not match the signed digest: the file was changed inside the signed ranges');
  } else if (signerInfo.signedAttrs) {
    facts.problems.push('the signed attributes carry no message digest');
  }

  let signerCertificate: pkijs.Certificate | null = null;
  try {
    const result = await signedData.verify({ signer: 0, data: signed.buffer, checkChain: false, extendedMode: true });
    facts.signatureVerified = Boolean(result.signatureVerified);
    signerCertificate = result.signerCertificate ?? null;
  } catch (err) {
    const failed = err as pkijs.SignedDataVerifyError;
    signerCertificate = failed?.signerCertificate ?? null;
    // with a wrong digest pkijs stops before the signature; only report what it actually said
    if (facts.digestMatches !== false) facts.problems.push(`the signature does not verify: ${String(failed?.message ?? err).slice(0, 200)}`);
  }
  if (signerCertificate) facts.signer = certificateFacts(signerCertificate);
  else facts.problems.push('the signer certificate is not in the signature');
  if (facts.digestMatches === false || !facts.signatureVerified || !signerCertificate) return facts;

  const certs = (signedData.certificates ?? []).filter((cert): cert is pkijs.Certificate => cert instanceof pkijs.Certificate);
  if (roots.length === 0) {
    facts.problems.push('no trusted roots are configured (TRUSTED_CA_DIR)');
  } else {
    try {
      const engine = new pkijs.CertificateChainValidationEngine({ trustedCerts: roots, certs: [signerCertificate, ...certs.filter((cert) => cert !== signerCertificate)], checkDate: facts.signingTime ?? new Date() });
      const chain = await engine.verify();
      facts.trusted = chain.result;
      if (!chain.result) facts.problems.push(`the certificate chain does not reach a trusted root: ${chain.resultMessage}`);
    } catch (err) {
      facts.problems.push(`the certificate chain does not reach a trusted root: ${String((err as Error)?.message ?? err).slice(0, 200)}`);
    }
  }
  facts.status = facts.trusted ? 'valid' : 'valid_untrusted';
  return facts;
}

/** The ranges must start the file, leave out exactly the /Contents string and stay inside the file. */
function checkByteRange(range: number[], bytes: Uint8Array): string | null {
  if (range.length !== 4 || !range.every((n) => Number.isSafeInteger(n) && n >= 0)) return '/ByteRange is not four non-negative integers';
  const [a, b, c, d] = range;
  if (a !== 0) return '/ByteRange does not start at the beginning of the file';
  if (c <= b || c + d > bytes.length) return '/ByteRange lies outside the file';
  // the gap is the hexadecimal /Contents string, delimiters included: nothing else may be left out
  if (bytes[b] !== 0x3c || bytes[c - 1] !== 0x3e) return '/ByteRange leaves out more than the signature value';
  for (let i = b + 1; i < c - 1; i++) {
    const ch = bytes[i];
    const hex = (ch >= 0x30 && ch <= 0x39) || (ch >= 0x41 && ch <= 0x46) || (ch >= 0x61 && ch <= 0x66);
    if (!hex) return '/ByteRange leaves out more than the signature value';
  }
  return null;
}

const NAME_KEYS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '1.2.840.113549.1.9.1': 'E',
};

function nameText(name: pkijs.RelativeDistinguishedNames): { text: string; cn: string | null } {
  let cn: string | null = null;
  const parts = name.typesAndValues.map((tv) => {
    const key = NAME_KEYS[tv.type] ?? tv.type;
    const value = String((tv.value.valueBlock as { value?: unknown }).value ?? '');
    if (key === 'CN' && cn === null) cn = value;
    return `${key}=${value}`;
  });
  return { text: parts.join(', '), cn };
}

function certificateFacts(cert: pkijs.Certificate): CertificateFacts {
  const subject = nameText(cert.subject);
  const issuer = nameText(cert.issuer);
  return {
    subject: subject.text,
    commonName: subject.cn,
    issuer: issuer.text,
    issuerCommonName: issuer.cn,
    serialNumber: Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase(),
    notBefore: cert.notBefore.value,
    notAfter: cert.notAfter.value,
  };
}

/** A PDF date (D:YYYYMMDDHHmmSSOHH'mm'), as in ISO 32000-1 7.9.4; null when absent or malformed. */
export function parsePdfDate(text: string | null): Date | null {
  if (!text) return null;
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(?:(\d{2})'?(\d{2})?'?)?)?/.exec(text.trim());
  if (!m) return null;
  const [, y, mo = '01', da = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(+y, +mo - 1, +da, +h, +mi, +s);
  const offset = sign === '+' || sign === '-' ? (sign === '+' ? 1 : -1) * (+oh * 60 + +om) * 60_000 : 0;
  const date = new Date(utc - offset);
  return Number.isNaN(date.getTime()) ? null : date;
}
