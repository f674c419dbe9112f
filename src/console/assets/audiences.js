// Audiences: drag and drop of a CSV file, the preview of its first rows before anything is
// imported (POST /v1/imports/preview, the import's own reading), the phone column chosen among
// the file's, and the upload by fetch. Without this script the form posts as it is.

(() => {
  const form = document.querySelector('form[data-upload]');
  if (!form) return;
  const input = form.querySelector('input[type="file"]');
  const zone = form.querySelector('[data-dropzone]');
  const box = form.querySelector('[data-preview]');
  const button = form.querySelector('[data-upload-button]');
  const country = form.querySelector('select[name="defaultCountry"]');
  const problems = document.querySelector('[data-upload-errors]');
  const previewBytes = Number(form.dataset.previewBytes) || 262144;
  const buttonLabel = button.textContent;
  let phoneField = form.querySelector('[data-phone-column]');
  /** The phone column the person chose for this file; none until they do. */
  let chosenPhone = phoneField.value.trim();
  /** Each preview's number: an answer to an older one is dropped. */
  let asked = 0;
  /** The delimiter the last preview read the file with: the upload reads it the same way. */
  let delimiter = '';

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

  function query(extra) {
    const params = new URLSearchParams();
    if (chosenPhone) params.set('phoneColumn', chosenPhone);
    if (country.value) params.set('defaultCountry', country.value);
    if (delimiter) params.set('delimiter', delimiter === '\t' ? 'tab' : delimiter);
    for (const [name, value] of Object.entries(extra)) params.set(name, value);
    return params.toString();
  }

  function showProblem(message, errors) {
    problems.replaceChildren(
      el(
        'div',
        { class: 'error-summary', role: 'alert', tabindex: '-1' },
        el('h2', {}, 'There is a problem'),
        el('p', {}, message),
        (errors ?? []).length > 0
          ? el(
              'ul',
              {},
              errors.map((error) => el('li', {}, error.message)),
            )
          : null,
      ),
    );
    problems.firstChild.focus();
  }

  // Drag and drop onto the zone sets the file input, as choosing the file would.
  zone.querySelector('[data-drop-words]').hidden = false;
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    if (event.dataTransfer.files.length === 0) return;
    input.files = event.dataTransfer.files;
    newFile();
  });
  input.addEventListener('change', newFile);
  country.addEventListener('change', () => preview());

  function newFile() {
    chosenPhone = '';
    delimiter = '';
    preview();
  }

  async function preview() {
    const file = input.files[0];
    if (!file) return;
    const mine = ++asked;
    const partial = file.size > previewBytes;
    box.hidden = false;
    box.replaceChildren(el('p', { role: 'status' }, `Reading the first rows of ${file.name}…`));
    let response;
    let answer;
    try {
      const params = query(partial ? { partial: 'true' } : {});
      response = await fetch(`${form.dataset.previewUrl}?${params}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-csrf-token': window.consoleCsrf() },
        body: file.slice(0, previewBytes),
      });
      answer = await response.json();
    } catch {
      if (mine === asked)
        showProblem('The preview could not reach the service: check the connection and try again.');
      return;
    }
    if (mine !== asked) return;
    if (!response.ok) {
      box.replaceChildren();
      box.hidden = true;
      showProblem(answer.detail ?? 'The file could not be read.');
      return;
    }
    problems.replaceChildren();
    delimiter = answer.delimiter;
    phoneChoice(answer);
    render(file, answer);
  }

  /** The phone column as a choice among the file's columns, once they are known. */
  function phoneChoice(answer) {
    const select = el('select', { id: phoneField.id, name: 'phoneColumn', class: 'narrow' });
    if (phoneField.getAttribute('aria-describedby'))
      select.setAttribute('aria-describedby', phoneField.getAttribute('aria-describedby'));
    if (answer.phoneColumn === null)
      select.append(el('option', { value: '' }, 'Choose the phone column'));
    for (const column of answer.columns) {
      const option = el('option', { value: column }, column);
      if (column === answer.phoneColumn) option.selected = true;
      select.append(option);
    }
    select.addEventListener('change', () => {
      chosenPhone = select.value;
      preview();
    });
    const label = form.querySelector(`label[for="${phoneField.id}"]`);
    if (label) label.textContent = 'Phone column';
    const hint = document.getElementById(`${phoneField.id}-hint`);
    if (hint)
      hint.textContent =
        "Found in the file's first line: choose another column if the phone numbers are elsewhere.";
    phoneField.replaceWith(select);
    phoneField = select;
  }

  function render(file, answer) {
    const countryName = country.value ? country.selectedOptions[0].textContent.trim() : 'None';
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
    button.disabled = Boolean(answer.failure) || nothing;
    button.textContent = answer.failure
      ? 'Choose another phone column or file'
      : nothing
        ? 'No row to import: see why below'
        : answer.complete
          ? `Import ${number(ok)} ${ok === 1 ? 'row' : 'rows'}`
          : `Import all of ${file.name}`;
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

  // The upload itself: the whole file as text/csv to the API, then the import's live page.
  form.addEventListener('submit', async (event) => {
    const file = input.files[0];
    if (!file) return;
    event.preventDefault();
    const label = button.textContent;
    button.disabled = true;
    button.textContent = `Uploading ${file.name}…`;
    try {
      const response = await fetch(`${form.dataset.importUrl}?${query({})}`, {
        method: 'POST',
        headers: { 'content-type': 'text/csv', 'x-csrf-token': window.consoleCsrf() },
        body: file,
      });
      const answer = await response.json();
      if (response.ok) {
        window.location.assign(`/audiences/imports/${answer.id}`);
        return;
      }
      showProblem(answer.detail ?? 'The upload was refused.', answer.errors);
    } catch {
      showProblem('The upload did not reach the service: check the connection and try again.');
    }
    button.disabled = false;
    button.textContent = label || buttonLabel;
  });
})();
