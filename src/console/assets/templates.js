// The template form's live preview (progressive enhancement: without this script the "Preview"
// button renders it on the server). Edits are debounced, then POST /v1/templates/preview renders
// the parameters for the chosen contact with the sends' own renderer; this file only draws its
// answer, in the markup of src/console/templates/preview-output.tsx.

(() => {
  const form = document.querySelector('[data-template-form]');
  if (!form) return;
  const panel = form.querySelector('[data-template-preview]');
  const output = form.querySelector('[data-preview-output]');
  const listSelect = form.querySelector('[data-preview-list]');
  const contactSelect = form.querySelector('[data-preview-contact]');
  const placeholders = form.querySelector('[data-preview-placeholders]');
  const previewButton = form.querySelector('[data-preview-button]');
  if (!panel || !output) return;
  if (previewButton) previewButton.hidden = true;

  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    for (const child of children) node.append(child);
    return node;
  };

  const fields = () => [...form.querySelectorAll('[data-parameter]')];
  const written = () => {
    const values = fields().map((field) => field.value);
    while (values.length > 0 && values[values.length - 1].trim() === '') values.pop();
    return values;
  };

  /** A blank field after the last written one, as the server renders it. */
  function keepOneBlank() {
    const all = fields();
    const last = all[all.length - 1];
    if (!last || last.value.trim() === '' || all.length >= 100) return;
    const wrapper = last.closest('.field');
    const copy = wrapper.cloneNode(true);
    const index = all.length;
    const id = `f-parameters-${index}`;
    copy.classList.remove('field-error');
    copy.querySelector('.error-message')?.remove();
    const label = copy.querySelector('label');
    label.setAttribute('for', id);
    label.textContent = `Parameter {{${index + 1}}}`;
    const input = copy.querySelector('input');
    input.id = id;
    input.value = '';
    input.setAttribute('aria-describedby', 'parameters-hint');
    wrapper.after(copy);
  }

  /** The API's field errors beside the parameters (`parameters.1`), cleared when fixed. */
  function markFields(errors) {
    fields().forEach((input, index) => {
      const error = errors.find((e) => e.path === `parameters.${index}`);
      window.consoleFieldError(input, error?.message);
    });
  }

  function renderedLine(label, rendered, invalid) {
    const text = el('p', { class: 'rendered-text' });
    for (const piece of rendered.pieces) {
      if (piece.kind === 'text') text.append(piece.text);
      else if (piece.kind === 'value')
        text.append(
          el('mark', { class: 'piece-value', title: `from "${piece.attribute}"` }, piece.text),
        );
      else if (piece.kind === 'fallback')
        text.append(
          el(
            'mark',
            { class: 'piece-fallback', title: `"${piece.attribute}" is missing: its fallback` },
            piece.text,
            el('span', { class: 'visually-hidden' }, ` (fallback: no ${piece.attribute})`),
          ),
        );
      else text.append(el('mark', { class: 'piece-missing' }, `no ${piece.attribute}`));
    }
    const line = el(
      'div',
      { class: 'rendered' },
      el('span', { class: 'rendered-label' }, label),
      text,
    );
    if (rendered.problem) {
      const prefix = invalid ? 'Not valid: ' : 'Cannot be sent to this contact: ';
      line.append(el('p', { class: 'rendered-problem' }, prefix + rendered.problem));
    }
    return line;
  }

  function draw(preview) {
    const invalid = new Set(preview.errors.map((e) => e.path));
    const root = el('div');
    if (preview.parameters.length === 0)
      root.append(
        el('p', { class: 'muted' }, 'No parameters: every contact gets the same message.'),
      );
    preview.parameters.forEach((rendered, index) => {
      root.append(renderedLine(`{{${index + 1}}}`, rendered, invalid.has(`parameters.${index}`)));
    });
    if (invalid.size === 0) {
      root.append(
        preview.skipReason
          ? el(
              'p',
              { class: 'verdict verdict-skip' },
              `This contact would be skipped, not sent a broken message: ${preview.skipReason}.`,
            )
          : el('p', { class: 'verdict verdict-ok' }, 'This contact would be sent this message.'),
      );
    }
    if (preview.missing.length > 0)
      root.append(
        el('p', { class: 'muted' }, `Missing for this contact: ${preview.missing.join(', ')}.`),
      );
    output.replaceChildren(root);
    markFields(preview.errors);
  }

  let timer;
  let asked = 0;
  async function refresh() {
    const mine = ++asked;
    const body = { parameters: written() };
    if (contactSelect?.value) body.contactId = contactSelect.value;
    try {
      const response = await fetch('/v1/templates/preview', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': window.consoleCsrf() },
        body: JSON.stringify(body),
      });
      const answer = await response.json();
      if (mine !== asked) return; // a later edit's answer is on its way
      if (response.ok) draw(answer);
      else output.replaceChildren(el('p', { class: 'rendered-problem' }, answer.detail));
    } catch {
      if (mine === asked)
        output.replaceChildren(
          el(
            'p',
            { class: 'rendered-problem' },
            'The preview could not be loaded: check the connection.',
          ),
        );
    }
  }
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  };

  /**
   * Another list: its first contacts and its columns, as the server renders them for the form
   * (GET /templates/new?previewList=), then the preview for the first contact.
   */
  async function chooseList(listId) {
    try {
      const response = await fetch(`/templates/new?previewList=${encodeURIComponent(listId)}`);
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const options = page.querySelector('[data-preview-contact]');
      const columns = page.querySelector('[data-preview-placeholders]');
      if (options) contactSelect.replaceChildren(...options.children);
      if (columns && placeholders) {
        placeholders.replaceChildren(...columns.children);
        for (const button of placeholders.querySelectorAll('[data-insert]')) button.hidden = false;
      }
      refresh();
    } catch {
      output.replaceChildren(
        el(
          'p',
          { class: 'rendered-problem' },
          'The list could not be loaded: check the connection.',
        ),
      );
    }
  }

  // Insert a placeholder into the parameter written last (or the first).
  let lastField = fields()[0];
  form.addEventListener('focusin', (event) => {
    if (event.target.matches('[data-parameter]')) lastField = event.target;
  });
  panel.addEventListener('click', (event) => {
    const button = event.target.closest('[data-insert]');
    if (!button || !lastField) return;
    const at = lastField.selectionStart ?? lastField.value.length;
    const end = lastField.selectionEnd ?? at;
    lastField.setRangeText(button.dataset.insert, at, end, 'end');
    lastField.focus();
    keepOneBlank();
    soon();
  });
  for (const button of panel.querySelectorAll('[data-insert]')) button.hidden = false;

  form.addEventListener('input', (event) => {
    if (!event.target.matches('[data-parameter]')) return;
    keepOneBlank();
    soon();
  });
  contactSelect?.addEventListener('change', refresh);
  listSelect?.addEventListener('change', () => chooseList(listSelect.value));
})();
