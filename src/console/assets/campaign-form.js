// The campaign form, enhanced (without this script every field is shown and "Show the next
// times" asks the server): the schedule's fields for the chosen kind only, a preset and its cron
// pattern kept in step, the next five times from GET /v1/schedules/next (the campaigns feature's
// own schedule code) with its errors beside the fields, the pace in words, the button's words,
// and the send window's own hours only when they are chosen.

(() => {
  const form = document.querySelector('[data-campaign-form]');
  if (!form) return;
  const el = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
    node.append(...children);
    return node;
  };
  const field = (name) => form.elements.namedItem(name);
  const kind = () => form.querySelector('[data-schedule-kind]:checked')?.value ?? 'now';
  const preset = form.querySelector('[data-preset]');
  const cron = form.querySelector('[data-cron]');
  const cronShown = form.querySelector('[data-cron-shown]');
  const firings = form.querySelector('[data-firings]');
  const submit = form.querySelector('[data-submit-now]');
  const localTime = form.querySelector('[data-local-time]');
  const windowOwn = form.querySelector('[data-window-own]');
  for (const button of form.querySelectorAll('[data-no-script]')) button.hidden = true;

  function showKind() {
    const chosen = kind();
    for (const block of form.querySelectorAll('[data-when]')) {
      block.hidden = !block.dataset.when.split(' ').includes(chosen);
    }
    if (submit)
      submit.textContent = chosen === 'now' ? submit.dataset.submitNow : submit.dataset.submitLater;
  }

  function showWindow() {
    if (!windowOwn) return;
    windowOwn.hidden = form.querySelector('[data-window-mode]:checked')?.value !== 'own';
  }

  /** The API's words for the schedule (src/console/campaign-form/schedule-fields.tsx's markup). */
  function drawFirings(answer) {
    const errors = new Map(answer.errors.map((e) => [e.path, e.message]));
    for (const name of ['at', 'cron', 'timezone']) {
      const control = field(`schedule.${name}`);
      if (control) window.consoleFieldError(control, errors.get(name));
    }
    if (!answer.description) {
      const message =
        errors.get('(root)') ?? 'The next times appear here once the schedule is complete.';
      firings.replaceChildren(el('p', { class: 'muted' }, message));
      return;
    }
    const [start] = answer.next;
    if (kind() === 'once' && localTime?.checked && start) {
      const zone = answer.timezone.replaceAll('_', ' ');
      firings.replaceChildren(
        el(
          'p',
          { class: 'firings-summary' },
          el('strong', {}, answer.description),
          ': it starts where the day begins (UTC+14) on ',
          el('time', { datetime: start.at }, start.local),
          ` ${zone} time, and reaches the last zones about a day later.`,
        ),
      );
      return;
    }
    const list = el('ol', { class: 'firings' });
    for (const firing of answer.next)
      list.append(el('li', {}, el('time', { datetime: firing.at }, firing.local)));
    const summary = el(
      'p',
      { class: 'firings-summary' },
      el('strong', {}, answer.description),
      answer.next.length > 1 ? ': the next times are' : ':',
    );
    firings.replaceChildren(summary, list);
  }

  let timer;
  let asked = 0;
  async function refreshFirings() {
    const chosen = kind();
    if (chosen === 'now' || !firings) return;
    const query = new URLSearchParams({ timezone: field('schedule.timezone').value, count: '5' });
    if (chosen === 'once') {
      if (!field('schedule.at').value) return drawFirings({ errors: [], next: [] });
      query.set('at', field('schedule.at').value);
      if (localTime?.checked) query.set('localTime', 'true');
    } else query.set('cron', cron.value.trim());
    const mine = ++asked;
    try {
      const response = await fetch(`/v1/schedules/next?${query}`);
      const answer = await response.json();
      if (mine !== asked) return;
      if (response.ok) drawFirings(answer);
      else firings.replaceChildren(el('p', { class: 'error-message' }, answer.detail));
    } catch {
      if (mine === asked)
        firings.replaceChildren(
          el(
            'p',
            { class: 'error-message' },
            'The next times could not be loaded: check the connection.',
          ),
        );
    }
  }
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(refreshFirings, 300);
  };

  // `1,204 messages take about 1 min at 20 a second` (pace-field.tsx: paceWords, durationWords).
  const numbers = new Intl.NumberFormat('en-GB');
  function span(seconds) {
    if (seconds < 1) return 'less than a second';
    const s = Math.max(0, Math.round(seconds));
    if (s < 60) return `about ${s} s`;
    if (s < 3600) return `about ${Math.round(s / 60)} min`;
    if (s < 48 * 3600) return `about ${Math.round(s / 3600)} h`;
    return `about ${Math.round(s / 86400)} days`;
  }
  function showPace() {
    const words = form.querySelector('[data-pace-words]');
    if (!words) return;
    const account = Number(words.dataset.accountRate);
    const rate = Number(String(field('ratePerSecond').value).replace(',', '.'));
    const pace = Math.min(rate > 0 ? rate : account, account);
    let contacts = 0;
    for (const box of form.querySelectorAll('input[name="listIds"]:checked'))
      contacts += Number(box.dataset.contacts);
    const count = contacts > 0 ? contacts : 1000;
    const what = `${numbers.format(count)} ${count === 1 ? 'message takes' : 'messages take'}`;
    words.textContent = `${what} ${span(count / pace)} at ${numbers.format(pace)} a second${contacts === 0 ? ' (choose lists to see yours)' : ''}.`;
  }

  preset?.addEventListener('change', () => {
    if (preset.value !== 'custom') cron.value = preset.value;
    else cron.focus();
    cronShown.value = cron.value;
    soon();
  });
  cron?.addEventListener('input', () => {
    const match = [...preset.options].find((option) => option.value === cron.value.trim());
    preset.value = match ? match.value : 'custom';
    cronShown.value = cron.value;
    soon();
  });
  form.addEventListener('change', (event) => {
    if (event.target.matches('[data-schedule-kind]')) {
      showKind();
      soon();
    } else if (
      event.target.matches(
        '[name="schedule.at"], [name="schedule.timezone"], [name="schedule.localTime"]',
      )
    )
      soon();
    if (event.target.matches('[data-window-mode]')) showWindow();
    if (event.target.matches('[name="listIds"]')) showPace();
  });
  form.addEventListener('input', (event) => {
    if (event.target.matches('[name="ratePerSecond"]')) showPace();
  });
  showKind();
  showWindow();
})();
