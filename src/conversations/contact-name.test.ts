import { describe, expect, it } from 'vitest';
import { contactName } from './contact-name';

describe('contactName', () => {
  it('takes a full-name column first, whatever its case and separators', () => {
    expect(contactName({ Name: 'Ivan Petrov', first_name: 'Ivan' })).toBe('Ivan Petrov');
    expect(contactName({ 'Full Name': ' Ana Lima ' })).toBe('Ana Lima');
    expect(contactName({ CONTACT_NAME: 'Jo' })).toBe('Jo');
  });

  it('joins first and last names, either alone', () => {
    expect(contactName({ first_name: 'Ivan', LastName: 'Petrov' })).toBe('Ivan Petrov');
    expect(contactName({ 'First Name': 'Ivan' })).toBe('Ivan');
    expect(contactName({ given_name: 'Ana', surname: 'Lima' })).toBe('Ana Lima');
    expect(contactName({ family_name: 'Lima' })).toBe('Lima');
    expect(contactName({ name: '  ', firstName: 'Ana' })).toBe('Ana');
  });

  it('is null without a name-like column', () => {
    expect(contactName({ city: 'Paris', nickname: 'Jo', first: 'Ana' })).toBeNull();
    expect(contactName({})).toBeNull();
    expect(contactName(null)).toBeNull();
  });
});
