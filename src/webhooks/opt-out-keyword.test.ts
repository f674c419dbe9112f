import { describe, expect, it } from 'vitest';
import { firstWord, isOptOutKeyword } from './opt-out-keyword';

const KEYWORDS = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'OPTOUT',
  'ALTO',
  'СТОП',
];

describe('isOptOutKeyword', () => {
  it('matches the first word, whatever punctuation, whitespace, emoji and case surround it', () => {
    for (const text of [
      'STOP',
      ' Stop ',
      '\nquit\t',
      'OptOut',
      'Stop.',
      'STOP!!',
      'stop 🙏',
      ' Stop please',
      '...stop',
      '🙏 stop',
      'stop-it',
      '¡Alto!',
      'Стоп',
      'стоп, пожалуйста',
      'ＳＴＯＰ',
      'End of story, I love it',
    ])
      expect(isOptOutKeyword(text, KEYWORDS), text).toBe(true);
  });

  it('does not match another first word, a keyword inside a word, or nothing', () => {
    for (const text of [
      'please stop',
      'Stopping by later?',
      'S T O P',
      'nonstop',
      '1 stop',
      'Altos',
      '🛑',
      '',
      '  ',
      null,
      undefined,
    ])
      expect(isOptOutKeyword(text, KEYWORDS), String(text)).toBe(false);
  });
});

describe('firstWord', () => {
  it('keeps combining marks and digits inside the word', () => {
    expect(firstWord('  Arre\u0302t now')).toBe('ARRÊT');
    expect(firstWord('opt2out!')).toBe('OPT2OUT');
    expect(firstWord('!!!')).toBeUndefined();
  });
});
