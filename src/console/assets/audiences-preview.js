// The preview of a CSV file's import (POST /v1/imports/preview's answer) as the upload page
// shows it: the file's layout, its first rows as they will be imported, the rows that would be
// refused and why. Built from elements and text, never HTML from the file. Used by audiences.js.

(() => {
  const number = (n) => Number(n).toLocaleString('en-GB');
  const delimiters = {
    ',': 'Comma (,)',
    ';': 'Semicolon (;)',
    '\t': 'Tab',
    '|': 'Vertical bar (|)',
  };
  const kinds = {
    fieldCount: 'Wrong number of fields',
    tooLong: 'Too long',
    unclosedQuote: 'A quote is never closed',
    invalidPhone: 'Not a possible phone number',
    missingCountry: 'No country code: choose the country of these numbers above',
  };

  /** Why a row is refused: the import's reason, or what to do when it lacks a country code. */
  const why = (error) => (error.kind === 'missingCountry' ? kinds.missingCountry : error.reason);

  /** An element with attributes and children (text or elements); never HTML from data. */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) node.setAttribute(name, value);
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  /** A table's frame, which scrolls sideways: focusable and named, for the keyboard. */
  const tableWrap = (label, table) =>
    el('section', { class: 'table-wrap', tabindex: '0', 'aria-label': label }, table);

  /**
   * Renders the preview of `file` (POST /v1/imports/preview's answer) into `box`, and answers
   * what the upload button should say, and whether it can be pressed.
   */
  function render(box, file, answer, { previewBytes, countryName }) {
    const read = answer.complete
      ? `${number(answer.rowsRead)} (all of the file)`
      : `${number(answer.rowsRead)} in the first ${number(Math.round(previewBytes / 1024))} KB of the file; the import reads all of it`;
    const parts = [
      el('h2', {}, `Preview of ${file.name}`),
      el(
        'dl',
        { class: 'details narrow-stack' },
        el('dt', {}, 'Column separator'),
        el('dd', {}, delimiters[answer.delimiter] ?? answer.delimiter),
        el('dt', {}, 'Phone column'),
        el('dd', {}, answer.phoneColumn ?? 'None found: choose it above'),
        el('dt', {}, 'Country of numbers without a code'),
        el('dd', {}, countryName),
        el('dt', {}, 'Other columns (attributes)'),
        el(
          'dd',
          {},
          answer.attributeColumns.length > 0 ? answer.attributeColumns.join(', ') : 'None',
        ),
        el('dt', {}, 'Rows read'),
        el('dd', {}, read),
      ),
      answer.failure ? el('p', { class: 'notice danger', role: 'alert' }, answer.failure) : null,
      answer.rows.length > 0 ? firstRows(answer) : null,
      answer.failure && answer.rows.length === 0 ? null : failures(answer),
    ];
    box.replaceChildren(...parts.flat().filter(Boolean));
    const ok = answer.rowsRead - answer.failing;
    const nothing = answer.complete && ok === 0;
    return {
      disabled: Boolean(answer.failure) || nothing,
      text: answer.failure
        ? 'Choose another phone column or file'
        : nothing
          ? 'No row to import: see why below'
          : answer.complete
            ? `Import ${number(ok)} ${ok === 1 ? 'row' : 'rows'}`
            : `Import all of ${file.name}`,
    };
  }

  function firstRows(answer) {
    const head = el(
      'tr',
      {},
      el('th', { scope: 'col', class: 'num' }, 'Row'),
      el('th', { scope: 'col' }, `Phone (${answer.phoneColumn})`),
      answer.attributeColumns.map((column) => el('th', { scope: 'col' }, column)),
      el('th', { scope: 'col' }, 'Result'),
    );
    const rows = answer.rows.map((row) =>
      el(
        'tr',
        { class: row.error ? 'row-refused' : '' },
        el('td', { class: 'num' }, number(row.row)),
        row.error
          ? el(
              'td',
              { colspan: String(answer.attributeColumns.length + 1), class: 'mono' },
              row.error.value,
            )
          : [
              el('td', { class: 'mono' }, row.phone),
              answer.attributeColumns.map((column) => el('td', {}, row.attributes[column] ?? '')),
            ],
        el(
          'td',
          { class: 'result' },
          row.error ? `Refused: ${why(row.error)}` : 'Will be imported',
        ),
      ),
    );
    return [
      el('h3', {}, 'The first rows, as they will be imported'),
      tableWrap('The first rows', el('table', {}, el('thead', {}, head), el('tbody', {}, rows))),
    ];
  }

  function failures(answer) {
    if (answer.failing === 0) {
      return el('p', { class: 'notice ok' }, 'No row of these would be refused.');
    }
    const more = answer.failing - answer.failures.length;
    return [
      el(
        'h3',
        {},
        `${number(answer.failing)} ${answer.failing === 1 ? 'row' : 'rows'} would be refused`,
      ),
      tableWrap(
        'Rows that would be refused',
        el(
          'table',
          {},
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              el('th', { scope: 'col', class: 'num' }, 'Line'),
              el('th', { scope: 'col' }, 'Why'),
              el('th', { scope: 'col' }, 'As written'),
            ),
          ),
          el(
            'tbody',
            {},
            answer.failures.map((failure) =>
              el(
                'tr',
                {},
                el('td', { class: 'num' }, number(failure.line)),
                el('td', {}, why(failure)),
                el('td', { class: 'mono refused-value' }, failure.value),
              ),
            ),
          ),
        ),
      ),
      more > 0 ? el('p', { class: 'muted' }, `And ${number(more)} more like these.`) : null,
    ];
  }

  window.audiencePreview = { el, render };
})();
