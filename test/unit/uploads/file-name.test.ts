import { expect } from 'chai';
import { sanitizeFileName } from '../../../uploads/file-name.js';
import { contentDisposition, matchesIfNoneMatch, parseRange } from '../../../server/http/file-response.js';

describe('uploads: file names and download headers', () => {
  it('when the name carries a path, then only its last segment is kept', () => {
    expect(sanitizeFileName('../../etc/passwd.pdf')).to.equal('passwd.pdf');
    expect(sanitizeFileName('C:\\Users\\drafter\\MoU final.pdf')).to.equal('MoU final.pdf');
  });

  it('when the name holds control characters or a bidi override, then they are removed', () => {
    expect(sanitizeFileName('draft\u0000\r\n\u0007v2.pdf')).to.equal('draftv2.pdf');
    expect(sanitizeFileName('invoice\u202Efdp.exe.pdf')).to.equal('invoicefdp.exe.pdf');
  });

  it('when the name is empty, only dots, or lacks the extension, then a safe .pdf name results', () => {
    expect(sanitizeFileName('')).to.equal('document.pdf');
    expect(sanitizeFileName('...')).to.equal('document.pdf');
    expect(sanitizeFileName('.hidden')).to.equal('hidden.pdf');
    expect(sanitizeFileName('Nota Kesepahaman')).to.equal('Nota Kesepahaman.pdf');
  });

  it('when the name is very long, then it is cut to 200 characters and keeps .pdf', () => {
    const name = sanitizeFileName(`${'a'.repeat(500)}.pdf`);
    expect(name).to.have.length(200);
    expect(name.endsWith('.pdf')).to.equal(true);
  });

  it('when a name has quotes or non-ASCII letters, then Content-Disposition carries an ASCII fallback and the UTF-8 original', () => {
    const header = contentDisposition('Perjanjian "final" – Kuala Lumpur (ms).pdf');
    expect(header).to.equal(
      `attachment; filename="Perjanjian _final_ _ Kuala Lumpur (ms).pdf"; filename*=UTF-8''Perjanjian%20%22final%22%20%E2%80%93%20Kuala%20Lumpur%20%28ms%29.pdf`,
    );
    expect(header).to.not.match(/[\r\n]/);
  });

  it('when a Range header asks for bytes, then the range is resolved against the size per RFC 9110', () => {
    expect(parseRange('bytes=0-99', 1000)).to.deep.equal({ start: 0, end: 99 });
    expect(parseRange('bytes=900-', 1000)).to.deep.equal({ start: 900, end: 999 });
    expect(parseRange('bytes=-100', 1000)).to.deep.equal({ start: 900, end: 999 });
    expect(parseRange('bytes=990-5000', 1000)).to.deep.equal({ start: 990, end: 999 });
    expect(parseRange('bytes=-5000', 1000)).to.deep.equal({ start: 0, end: 999 });
  });

  it('when a range starts past the end, then it is unsatisfiable; when it is malformed or multiple, then it is ignored', () => {
    expect(parseRange('bytes=1000-', 1000)).to.equal('unsatisfiable');
    expect(parseRange('bytes=-0', 1000)).to.equal('unsatisfiable');
    expect(parseRange('bytes=0-1,5-6', 1000)).to.equal(undefined);
    expect(parseRange('items=0-1', 1000)).to.equal(undefined);
    expect(parseRange('bytes=9-3', 1000)).to.equal(undefined);
    expect(parseRange(undefined, 1000)).to.equal(undefined);
  });

  it('when If-None-Match lists the tag (weak or strong, or *), then it matches', () => {
    expect(matchesIfNoneMatch('"abc"', '"abc"')).to.equal(true);
    expect(matchesIfNoneMatch('W/"abc", "def"', '"abc"')).to.equal(true);
    expect(matchesIfNoneMatch('*', '"abc"')).to.equal(true);
    expect(matchesIfNoneMatch('"def"', '"abc"')).to.equal(false);
  });
});
