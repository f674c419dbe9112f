/**
 * One CSV cell, quoted where RFC 4180 needs it, and defused for spreadsheets: a cell that
 * starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula, so it
 * gets a leading `'` (OWASP's advice). E.164 phones start with `+` and so are written `'+7999…`:
 * spreadsheets show them as text, which also keeps them from being turned into numbers; a
 * script reading the file strips the quote.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: (string | number | null | undefined)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
