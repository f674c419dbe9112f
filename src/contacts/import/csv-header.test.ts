import { describe, expect, it } from 'vitest';
import { findPhoneColumn, normalizeHeaders } from './csv-header';

describe('normalizeHeaders', () => {
  it('trims, names empty headers by position and numbers repeated ones', () => {
    expect(normalizeHeaders(['\uFEFF phone ', 'Name', '', 'name', 'Name', ' '])).toEqual([
      'phone',
      'Name',
      'column_3',
      'name',
      'Name_2',
      'column_6',
    ]);
  });
});

describe('findPhoneColumn', () => {
  it('takes the first header named like a phone', () => {
    expect(findPhoneColumn(['Name', 'Mobile Number', 'Phone'])).toBe(1);
    expect(findPhoneColumn(['name', 'WhatsApp'])).toBe(1);
    expect(findPhoneColumn(['name', 'MSISDN'])).toBe(1);
    expect(findPhoneColumn(['name', 'Tel.'])).toBe(1);
    expect(findPhoneColumn(['name', 'city'])).toBe(-1);
  });

  it('takes the named column, whatever its case, when one is given', () => {
    expect(findPhoneColumn(['phone', 'Contact'], 'contact')).toBe(1);
    expect(findPhoneColumn(['phone', 'contact'], 'cell')).toBe(-1);
  });
});
