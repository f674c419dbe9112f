import type { PendingQuery, Row, Sql, TransactionSql } from 'postgres';
import { characterCount, formatCount } from '../text';

/**
 * What WhatsApp refuses in a template's body parameter (docs/design.md, rule 6), checked on the
 * rendered text before the send: such a message is `skipped` with the reason instead of being
 * refused by the provider, where each refusal would count toward the campaign's failure rail.
 * From Meta's WhatsApp Cloud API documentation:
 * - length: a body text parameter holds at most 1,024 characters when the template has other
 *   components (a header, buttons), 32,768 when the body is its only one. The service does not
 *   see the approved template, so the limit is TEMPLATE_PARAMETER_MAX_CHARS (default 1,024);
 * - no new line (LF, CR) and no tab, nor more than 4 consecutive spaces: the Cloud API answers
 *   such a parameter "Param text cannot have new-line/tab characters or more than 4
 *   consecutive spaces";
 * - a text message (a follow-up) holds at most 4,096 characters.
 * The TypeScript check and its SQL twin below give the same reason in the same order.
 */

const refused = (index: number, what: string) => `parameter ${index + 1}: ${what}, ${REFUSED}`;

const LINE_BREAK = 'a line break';
const TAB = 'a tab';
const SPACES = 'more than 4 consecutive spaces';
const FIVE_SPACES = '     ';

const tooLong = (index: number, chars: number, maxChars: number) =>
  `parameter ${index + 1}: ${formatCount(chars)} characters, the limit is ${formatCount(maxChars)}`;

/** Why WhatsApp would refuse parameter `index` (from 0) rendered as `text`, or nothing. */
export function parameterProblem(
  text: string,
  index: number,
  maxChars: number,
): string | undefined {
  // UTF-16 units are never fewer than characters: count those only past the limit.
  if (text.length > maxChars) {
    const chars = characterCount(text);
    if (chars > maxChars) return tooLong(index, chars, maxChars);
  }
  const what = refusedCharacters(text);
  return what ? refused(index, what) : undefined;
}

/** The characters WhatsApp refuses that `text` holds, in words, or nothing. */
export function refusedCharacters(text: string): string | undefined {
  if (text.includes('\n') || text.includes('\r')) return LINE_BREAK;
  if (text.includes('\t')) return TAB;
  if (text.includes(FIVE_SPACES)) return SPACES;
  return undefined;
}

export const REFUSED = 'which WhatsApp refuses in a template parameter';

/** `parameterProblem` in SQL, over the column holding the rendered parameter: null if it passes. */
export function parameterProblemSql(
  sql: Sql | TransactionSql,
  column: string,
  index: number,
  maxChars: number,
): PendingQuery<Row[]> {
  const text = sql.unsafe(column);
  // Lengths and strpos only: no regular expression per parameter of a million contacts.
  return sql`case
    when char_length(${text}) > ${maxChars}::int
      then ${`parameter ${index + 1}: `}::text || to_char(char_length(${text}), 'FM999,999,999') || ${` characters, the limit is ${formatCount(maxChars)}`}::text
    when strpos(${text}, E'\\n') > 0 or strpos(${text}, E'\\r') > 0 then ${refused(index, LINE_BREAK)}::text
    when strpos(${text}, E'\\t') > 0 then ${refused(index, TAB)}::text
    when strpos(${text}, ${FIVE_SPACES}::text) > 0 then ${refused(index, SPACES)}::text
  end`;
}

/** Meta's limit on the body of a text message. */
const TEXT_MESSAGE_MAX_CHARS = 4096;

/** Why WhatsApp would refuse `text` as the body of a text message (a follow-up), or nothing. */
export function textMessageProblem(text: string): string | undefined {
  if (text.length <= TEXT_MESSAGE_MAX_CHARS) return undefined;
  const chars = characterCount(text);
  return chars > TEXT_MESSAGE_MAX_CHARS
    ? `${formatCount(chars)} characters, WhatsApp's limit for a text message is ${formatCount(TEXT_MESSAGE_MAX_CHARS)}`
    : undefined;
}
