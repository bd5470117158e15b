import { expect } from 'chai';
import { inspectPdf } from '../../../uploads/pdf/inspect.js';
import { parsePdfDate } from '../../../uploads/pdf/signatures.js';
import { alteredAfterSigning, makeCa, makeSigner, signedPdf, withIncrementalUpdate, type TestIdentity } from '../../support/signed-pdf.js';

const der = (id: TestIdentity) => Buffer.from(id.certificate.toSchema(true).toBER(false)).toString('base64');

describe('uploads: electronic signatures in a PDF', function () {
  this.timeout(60_000);
  let ca: TestIdentity;
  let otherCa: TestIdentity;
  let signer: TestIdentity;
  let signed: Buffer;

  before(async () => {
    ca = await makeCa('CA Uji PWNI');
    otherCa = await makeCa('CA Lain');
    signer = await makeSigner('Retno Marsudi', ca);
    signed = await signedPdf(signer, [ca]);
  });

  it('when a PDF signed over its whole file is checked against its CA as a trusted root, then it is valid with signer, issuer, serial and both times', async () => {
    const facts = await inspectPdf(signed, { maxPages: 10, trustedRoots: [der(ca)] });
    expect(facts.signatures).to.have.length(1);
    const [sig] = facts.signatures;
    expect(sig).to.deep.include({ field: 'TandaTangan1', subFilter: 'adbe.pkcs7.detached', status: 'valid', coversWholeFile: true, appendedBytes: 0, digestMatches: true, signatureVerified: true, trusted: true, digestAlgorithm: 'SHA-256' });
    expect(sig.problems).to.deep.equal([]);
    expect(sig.signer).to.deep.include({ commonName: 'Retno Marsudi', issuerCommonName: 'CA Uji PWNI', subject: 'C=ID, O=Kementerian Luar Negeri, CN=Retno Marsudi', issuer: 'C=ID, O=Penguji Tanda Tangan, CN=CA Uji PWNI' });
    expect(sig.signer!.serialNumber).to.equal(Buffer.from(signer.certificate.serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase());
    expect(sig.signingTime!.toISOString()).to.equal('2026-03-01T02:00:00.000Z');
    expect(sig.claimedTime!.toISOString()).to.equal('2026-03-01T02:00:00.000Z');
    expect(sig.byteRange[0]).to.equal(0);
    expect(sig.byteRange[2] + sig.byteRange[3]).to.equal(signed.length);
  });

  it('when no trusted root is configured, then an intact signature is valid_untrusted, saying why', async () => {
    const [sig] = (await inspectPdf(signed, { maxPages: 10 })).signatures;
    expect(sig).to.deep.include({ status: 'valid_untrusted', trusted: false, digestMatches: true, signatureVerified: true });
    expect(sig.problems.join(' ')).to.contain('TRUSTED_CA_DIR');
  });

  it('when the signer chains to a CA that is not among the trusted roots, then it is valid_untrusted', async () => {
    const [sig] = (await inspectPdf(signed, { maxPages: 10, trustedRoots: [der(otherCa)] })).signatures;
    expect(sig).to.deep.include({ status: 'valid_untrusted', trusted: false, signatureVerified: true });
    expect(sig.problems.join(' ')).to.contain('does not reach a trusted root');
  });

  it('when one byte inside the signed range is changed, then the digest no longer matches and the signature is broken', async () => {
    const [sig] = (await inspectPdf(alteredAfterSigning(signed), { maxPages: 10, trustedRoots: [der(ca)] })).signatures;
    expect(sig).to.deep.include({ status: 'broken', digestMatches: false, signatureVerified: false, trusted: false, coversWholeFile: true });
    expect(sig.signer?.commonName).to.equal('Retno Marsudi');
    expect(sig.problems.join(' ')).to.contain('do not match the signed digest');
  });

  it('when an incremental update is appended after signing, then the signature still holds but is reported modified_after_signing with the added bytes', async () => {
    const updated = withIncrementalUpdate(signed);
    const [sig] = (await inspectPdf(updated, { maxPages: 10, trustedRoots: [der(ca)] })).signatures;
    expect(sig).to.deep.include({ status: 'modified_after_signing', coversWholeFile: false, appendedBytes: updated.length - signed.length, digestMatches: true, signatureVerified: true, trusted: true, laterSignatureCovers: false });
  });

  it('when the signature is an ETSI.CAdES.detached one, then it is checked the same way', async () => {
    const cades = await signedPdf(signer, [ca], 'ETSI.CAdES.detached');
    const [sig] = (await inspectPdf(cades, { maxPages: 10, trustedRoots: [der(ca)] })).signatures;
    expect(sig).to.deep.include({ subFilter: 'ETSI.CAdES.detached', status: 'valid' });
  });

  it('when a signature is made with a key other than the certificate\'s, then the signature value does not verify and it is broken', async () => {
    const impostor = await makeSigner('Retno Marsudi', ca);
    // the CMS names the genuine certificate but the value comes from another key
    const forged = await signedPdf({ ...signer, privateKey: impostor.privateKey }, [ca]);
    const [sig] = (await inspectPdf(forged, { maxPages: 10, trustedRoots: [der(ca)] })).signatures;
    expect(sig).to.deep.include({ status: 'broken', digestMatches: true, signatureVerified: false });
  });

  it('when a PDF date carries an offset, then it is read as that instant', () => {
    expect(parsePdfDate("D:20260301090000+07'00'")!.toISOString()).to.equal('2026-03-01T02:00:00.000Z');
    expect(parsePdfDate('D:2026')!.toISOString()).to.equal('2026-01-01T00:00:00.000Z');
    expect(parsePdfDate('yesterday')).to.equal(null);
  });
});
