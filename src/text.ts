/** Text helpers shared by the import's and the renderer's limits. */

/** Characters (code points), as PostgreSQL's char_length counts them: a surrogate pair is one. */
export function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** A count as the limits' messages write it: 52,428,800. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** At most `max` UTF-16 units of `text`, never half a surrogate pair (PostgreSQL refuses one). */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
