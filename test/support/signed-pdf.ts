/**
 * Electronically signed PDFs made at test time: a test CA and a signer certificate (pkijs over
 * Node's WebCrypto), and a PDF whose signature is a detached CMS SignedData over its /ByteRange,
 * the way PAdES signing software writes one. Nothing here is shipped with the service.
 */
import { PDFDocument, PDFName, PDFNumber, PDFHexString, PDFString, StandardFonts } from '@cantoo/pdf-lib';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const subtle = globalThis.crypto.subtle;
const RSA: RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };

export interface TestIdentity {
  certificate: pkijs.Certificate;
  privateKey: CryptoKey;
  /** the certificate as PEM, for TRUSTED_CA_DIR */
  pem: string;
}

function name(cn: string, org: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.6', value: new asn1js.PrintableString({ value: 'ID' }) }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.10', value: new asn1js.Utf8String({ value: org }) }),
      new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }),
    ],
  });
}

let serial = 0x1000 + Math.floor(Math.random() * 0x1000);

async function issue(subject: { cn: string; org: string }, ca: boolean, issuer?: TestIdentity): Promise<TestIdentity> {
  const keys = (await subtle.generateKey(RSA, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ value: serial++ });
  cert.subject = name(subject.cn, subject.org);
  cert.issuer = issuer ? issuer.certificate.subject : cert.subject;
  cert.notBefore.value = new Date(Date.UTC(2020, 0, 1));
  cert.notAfter.value = new Date(Date.UTC(2040, 0, 1));
  const constraints = new pkijs.BasicConstraints({ cA: ca });
  cert.extensions = [new pkijs.Extension({ extnID: '2.5.29.19', critical: true, extnValue: constraints.toSchema().toBER(false), parsedValue: constraints })];
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey);
  await cert.sign(issuer?.privateKey ?? keys.privateKey, 'SHA-256');
  const der = Buffer.from(cert.toSchema(true).toBER(false));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;
  return { certificate: cert, privateKey: keys.privateKey, pem };
}

export const makeCa = (cn: string) => issue({ cn, org: 'Penguji Tanda Tangan' }, true);
export const makeSigner = (cn: string, ca: TestIdentity) => issue({ cn, org: 'Kementerian Luar Negeri' }, false, ca);

const CONTENTS_HEX = 16384;
const RANGE_PLACEHOLDER = 9_999_999_999;

/** A one-page PDF with an unsigned signature field whose /Contents is a zero placeholder. */
async function preparedPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([595, 842]);
  page.drawText('Naskah perjanjian yang ditandatangani secara elektronik', { x: 50, y: 780, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  const ctx = doc.context;
  // a literal string the "altered" fixture changes inside the signed range
  ctx.register(ctx.obj({ Note: PDFString.of('Naskah asli') }));
  const placeholder = ctx.obj([0, RANGE_PLACEHOLDER, RANGE_PLACEHOLDER, RANGE_PLACEHOLDER]);
  const sig = ctx.register(
    ctx.obj({
      Type: 'Sig',
      Filter: 'Adobe.PPKLite',
      SubFilter: 'adbe.pkcs7.detached',
      ByteRange: placeholder,
      Contents: PDFHexString.of('0'.repeat(CONTENTS_HEX)),
      M: PDFString.of("D:20260301090000+07'00'"),
      Reason: PDFString.of('Persetujuan naskah'),
    }),
  );
  const widget = ctx.register(ctx.obj({ Type: 'Annot', Subtype: 'Widget', FT: 'Sig', T: PDFString.of('TandaTangan1'), V: sig, Rect: [0, 0, 0, 0], F: 132, P: page.ref }));
  page.node.set(PDFName.of('Annots'), ctx.obj([widget]));
  doc.catalog.set(PDFName.of('AcroForm'), ctx.obj({ Fields: [widget], SigFlags: PDFNumber.of(3) }));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** Signs a prepared PDF: fills /ByteRange, then /Contents with a detached CMS over those ranges. */
async function sign(pdf: Buffer, signer: TestIdentity, chain: TestIdentity[], subFilter: string): Promise<Buffer> {
  let bytes = Buffer.from(pdf);
  if (subFilter !== 'adbe.pkcs7.detached') {
    const at = bytes.indexOf('/adbe.pkcs7.detached');
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(`/${subFilter}`), bytes.subarray(at + '/adbe.pkcs7.detached'.length)]);
  }
  const rangeText = `[ 0 ${RANGE_PLACEHOLDER} ${RANGE_PLACEHOLDER} ${RANGE_PLACEHOLDER} ]`;
  const rangeAt = bytes.indexOf(rangeText);
  const b = bytes.indexOf(`<${'0'.repeat(CONTENTS_HEX)}>`);
  if (rangeAt < 0 || b < 0) throw new Error('placeholder not found');
  const c = b + CONTENTS_HEX + 2;
  const range = `[0 ${b} ${c} ${bytes.length - c}]`.padEnd(rangeText.length, ' ');
  bytes.write(range, rangeAt, 'latin1');
  const signed = Buffer.concat([bytes.subarray(0, b), bytes.subarray(c)]);

  const digest = await subtle.digest('SHA-256', signed);
  const signedData = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: signer.certificate.issuer, serialNumber: signer.certificate.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.3', values: [new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })] }),
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.5', values: [new asn1js.UTCTime({ valueDate: new Date(Date.UTC(2026, 2, 1, 2, 0, 0)) })] }),
            new pkijs.Attribute({ type: '1.2.840.113549.1.9.4', values: [new asn1js.OctetString({ valueHex: digest })] }),
          ],
        }),
      }),
    ],
    certificates: [signer.certificate, ...chain.map((c) => c.certificate)],
  });
  await signedData.sign(signer.privateKey, 0, 'SHA-256');
  const cms = new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData.toSchema(true) });
  const hex = Buffer.from(cms.toSchema().toBER(false)).toString('hex').toUpperCase();
  if (hex.length > CONTENTS_HEX) throw new Error('signature larger than its placeholder');
  bytes.write(hex.padEnd(CONTENTS_HEX, '0'), b + 1, 'latin1');
  return bytes;
}

/** A PDF signed by signer (whose certificate the CMS carries with the given chain). */
export async function signedPdf(signer: TestIdentity, chain: TestIdentity[] = [], subFilter = 'adbe.pkcs7.detached'): Promise<Buffer> {
  return sign(await preparedPdf(), signer, chain, subFilter);
}

/** The same signed file with one byte changed inside the signed range ("asli" becomes "asle"). */
export function alteredAfterSigning(signed: Buffer): Buffer {
  const out = Buffer.from(signed);
  const at = out.indexOf('(Naskah asli)');
  if (at < 0) throw new Error('marker not found');
  out.write('(Naskah asle)', at, 'latin1');
  return out;
}

/** The signed file with an incremental update appended after the signature (a changed object, a new xref section, a trailer with /Prev). */
export function withIncrementalUpdate(signed: Buffer): Buffer {
  const text = signed.toString('latin1');
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
  const size = Number(/\/Size (\d+)/.exec(text)?.[1]);
  const root = /\/Root (\d+ \d+ R)/.exec(text)?.[1];
  if (!Number.isFinite(prev) || !Number.isFinite(size) || !root) throw new Error('trailer not found');
  const objectAt = signed.length + 1;
  const object = `\n${size} 0 obj\n<< /Note (Ditambahkan setelah ditandatangani) >>\nendobj\n`;
  const xrefAt = signed.length + object.length;
  const tail = `xref\n${size} 1\n${String(objectAt).padStart(10, '0')} 00000 n \ntrailer\n<< /Size ${size + 1} /Root ${root} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return Buffer.concat([signed, Buffer.from(object + tail, 'latin1')]);
}
