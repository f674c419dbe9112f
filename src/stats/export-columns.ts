import { AppError } from '../errors';
import type { Message } from '../messages/message-json';
import { formatCount } from '../text';
import { csvCell, csvLine } from './csv-cell';
import { attributeAlias, type ExportRow } from './queries';
import type { PhoneFormat } from './schemas';

/** The export's first columns, as they always were: never renamed nor moved. */
const messageColumns = [
  'id',
  'runId',
  'contactId',
  'phone',
  'kind',
  'status',
  'providerMessageId',
  'error',
  'attempts',
  'sentAt',
  'deliveredAt',
  'readAt',
  'repliedAt',
] as const satisfies readonly (keyof Message)[];

/**
 * Message fields added with senders (issue 18): after `replyText`, so that none of the columns
 * before moves; the attributes' columns, found by their names, come after them.
 */
const senderColumns = [
  'senderId',
  'errorCode',
  'errorTitle',
  'pricingCategory',
  'billable',
  // added with send windows (issue 19)
  'notBefore',
  'timeZone',
] as const satisfies readonly (keyof Message)[];

/**
 * An attribute's column is its name after this prefix: no fixed column starts with it, so an
 * attribute called `status` or `phone` never meets the fixed column of that name.
 */
const ATTRIBUTE_PREFIX = 'attr.';

/**
 * The phone cell in each `?phoneFormat=`. `quoted` is csvCell's rule for any cell (a leading `+`
 * gets a `'`). `e164` writes the phone bare only when it is a `+` and digits, which no spreadsheet
 * can run as more than a number; anything else stays defused.
 */
const phoneCells: Record<PhoneFormat, (phone: string) => string> = {
  quoted: csvCell,
  digits: (phone) => csvCell(phone.replace(/^\+/, '')),
  e164: (phone) => (/^\+\d+$/.test(phone) ? phone : csvCell(phone)),
};

export type ExportLayout = { header: string; line: (row: ExportRow) => string };

/**
 * The CSV's columns: the message's, then (added later, so after them) the campaign's name, the
 * text of the reply whose time is `repliedAt`, the sender and Meta's error and pricing fields,
 * and one column per attribute of `names`.
 */
export function exportLayout(
  campaignName: string,
  names: string[],
  phoneFormat: PhoneFormat,
): ExportLayout {
  const phoneCell = phoneCells[phoneFormat];
  const nameCell = csvCell(campaignName);
  const aliases = names.map((_, i) => attributeAlias(i));
  const header = csvLine([
    ...messageColumns,
    'campaignName',
    'replyText',
    ...senderColumns,
    ...names.map((name) => `${ATTRIBUTE_PREFIX}${name}`),
  ]);
  const line = (row: ExportRow) => {
    const cells = messageColumns.map((key) =>
      key === 'phone' ? phoneCell(row.phone) : csvCell(row[key]),
    );
    cells.push(nameCell, csvCell(row.replyText));
    for (const key of senderColumns) {
      const value = row[key];
      cells.push(csvCell(typeof value === 'boolean' ? String(value) : value));
    }
    for (const alias of aliases) cells.push(csvCell(row[alias]));
    return `${cells.join(',')}\r\n`;
  };
  return { header, line };
}

/**
 * The attribute names `?attributes=` asks for: comma-separated, each trimmed (as an import trims
 * its header), empty ones and repeats dropped; none for an empty value. At most `limit`.
 */
export function requestedAttributes(param: string, limit: number): string[] {
  const names = [
    ...new Set(
      param
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length > limit)
    throw attributesError(
      `${formatCount(names.length)} attributes named, the limit is ${formatCount(limit)} (IMPORT_MAX_COLUMNS)`,
    );
  return names;
}

/** More attributes among the exported contacts than columns allowed: name the ones wanted. */
export function tooManyAttributes(limit: number): AppError {
  return attributesError(
    `the exported contacts have more than ${formatCount(limit)} distinct attributes, the limit of columns (IMPORT_MAX_COLUMNS); name the ones to export with ?attributes=first_name,city`,
  );
}

function attributesError(message: string): AppError {
  return new AppError('bad_request', `query.attributes: ${message}`, [
    { path: 'query.attributes', message },
  ]);
}
