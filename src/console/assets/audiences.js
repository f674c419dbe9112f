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
  const { el, render: renderPreview } = window.audiencePreview;

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
    const countryName = country.value ? country.selectedOptions[0].textContent.trim() : 'None';
    const label = renderPreview(box, file, answer, { previewBytes, countryName });
    button.disabled = label.disabled;
    button.textContent = label.text;
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
