// An error beside a field, as src/console/ui/form.tsx renders it (`Field`), set or cleared by a
// page script from the API's `errors[].path`: the red rule, the message above the control, and
// the control described by it. Shared by templates.js and campaign-form.js.

/** Shows `message` beside `control` (an input or select inside a `.field`), or clears it. */
window.consoleFieldError = (control, message) => {
  const field = control.closest('.field');
  if (!field) return;
  const id = `${control.id}-error`;
  const described = (control.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter((part) => part && part !== id);
  let element = document.getElementById(id);
  field.classList.toggle('field-error', Boolean(message));
  if (!message) {
    element?.remove();
  } else {
    if (!element) {
      element = document.createElement('p');
      element.className = 'error-message';
      element.id = id;
      control.before(element);
    }
    const hidden = document.createElement('span');
    hidden.className = 'visually-hidden';
    hidden.textContent = 'Error: ';
    element.replaceChildren(hidden, message);
    described.push(id);
  }
  if (described.length > 0) control.setAttribute('aria-describedby', described.join(' '));
  else control.removeAttribute('aria-describedby');
};
