import { describe, expect, it } from 'vitest';
import { csvCell, csvLine } from './csv-cell';

describe('csvCell', () => {
  it('defuses every formula lead', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+79991234567')).toBe("'+79991234567");
    expect(csvCell('-1+2')).toBe("'-1+2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
  });

  it('leaves ordinary cells alone and quotes what RFC 4180 needs', () => {
    expect(csvCell('delivered')).toBe('delivered');
    expect(csvCell(3)).toBe('3');
    expect(csvCell(-3)).toBe("'-3");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });

  it('writes a CRLF-terminated line', () => {
    expect(csvLine(['1', null, '+1'])).toBe("1,,'+1\r\n");
  });
});
