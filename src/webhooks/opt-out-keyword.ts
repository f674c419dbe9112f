/**
 * The stop-keyword rule (README, "Opt-out keywords"): a message opts its phone out when its first
 * word is one of OPT_OUT_KEYWORDS. The text is NFKC-normalised (full-width `ＳＴＯＰ` is `STOP`),
 * whatever precedes the first letter or digit is skipped (whitespace, punctuation, emoji), and the
 * word is the run of letters, combining marks and digits that follows, in any script, compared
 * upper-cased. So `Stop.`, `STOP!!`, `stop 🙏`, ` Stop please` and `стоп, пожалуйста` (with
 * `СТОП` configured) match, while `Stopping by later?`, `please stop` and `S T O P` do not.
 */
export function firstWord(text: string): string | undefined {
  return /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/u.exec(text.normalize('NFKC'))?.[0].toUpperCase();
}

export function isOptOutKeyword(body: string | null | undefined, keywords: string[]): boolean {
  const word = body ? firstWord(body) : undefined;
  return word !== undefined && keywords.includes(word);
}
