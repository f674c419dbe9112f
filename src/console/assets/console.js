// The console's shared script: progressive enhancement only. Every page reads and every form
// posts without it (docs/console.md).

// The viewer's time zone, for times rendered on the server (src/console/ui/format.ts).
(() => {
  try {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && !document.cookie.split('; ').includes(`wbs_tz=${encodeURIComponent(zone)}`)) {
      document.cookie = `wbs_tz=${encodeURIComponent(zone)}; path=/; max-age=31536000; samesite=lax`;
    }
  } catch {
    // an old browser: times stay in UTC, named so
  }
})();

/** The session's CSRF token, for scripts that call the API: read from any form of the page. */
window.consoleCsrf = () => document.querySelector('input[name="_csrf"]')?.value ?? '';

/**
 * Live figures by server-sent events: an element with `data-live-src` opens the stream; each
 * event is a JSON object whose keys name `[data-live="key"]` elements (their text) and
 * `progress[data-live-value="key"]` / `[data-live-max="key"]` (a progress bar). The element
 * `[data-live-status]` says whether the page is live, and when the connection dropped.
 */
function startLive(root) {
  const status = root.querySelector('[data-live-status]');
  const say = (state, text) => {
    if (!status) return;
    status.dataset.state = state;
    status.textContent = text;
  };
  const source = new EventSource(root.dataset.liveSrc);
  source.onopen = () => say('live', 'Live: updates every second.');
  source.onerror = () => {
    if (source.readyState === EventSource.CLOSED) say('ended', 'Updates have stopped.');
    else say('lost', 'Connection lost: reconnecting…');
  };
  source.addEventListener('end', () => {
    source.close();
    say('ended', 'Finished: figures are final.');
    if (root.dataset.liveReload === 'true') window.location.reload();
  });
  source.onmessage = (event) => {
    const figures = JSON.parse(event.data);
    for (const [key, value] of Object.entries(figures)) {
      for (const el of root.querySelectorAll(`[data-live="${key}"]`)) {
        el.textContent = String(value);
      }
      for (const el of root.querySelectorAll(`[data-live-value="${key}"]`))
        el.value = Number(value);
      for (const el of root.querySelectorAll(`[data-live-max="${key}"]`))
        el.max = Number(value) || 1;
      for (const el of root.querySelectorAll(`[data-live-show-when="${key}"]`)) {
        el.hidden = !value;
      }
    }
  };
}

/** A button `data-copy="#id"` copies the text of that element. */
function startCopy(button) {
  button.hidden = false;
  button.addEventListener('click', async () => {
    const target = document.querySelector(button.dataset.copy);
    if (!target) return;
    await navigator.clipboard.writeText(target.textContent.trim());
    const label = button.textContent;
    button.textContent = 'Copied';
    setTimeout(() => {
      button.textContent = label;
    }, 2000);
  });
}

/**
 * A part of a page computed after it (the launch preview's figures): an element with
 * `data-fragment-src` shows its `[data-fragment-waiting]` words while the fragment loads, then
 * holds the fragment. Its `[data-fragment-fallback]` link, which renders the page with the part
 * inline, is for a page without JavaScript, and comes back when the load fails.
 */
async function loadFragment(root) {
  const waiting = root.querySelector('[data-fragment-waiting]');
  const fallback = root.querySelector('[data-fragment-fallback]');
  if (waiting) waiting.hidden = false;
  if (fallback) fallback.hidden = true;
  try {
    const response = await fetch(root.dataset.fragmentSrc, { headers: { accept: 'text/html' } });
    if (!response.ok) throw new Error(`status ${response.status}`);
    root.innerHTML = await response.text();
  } catch {
    if (waiting) waiting.textContent = 'The figures could not be counted just now.';
    if (fallback) fallback.hidden = false;
  }
}

document.addEventListener('DOMContentLoaded', () => {
  for (const root of document.querySelectorAll('[data-fragment-src]')) loadFragment(root);
  for (const root of document.querySelectorAll('[data-live-src]')) startLive(root);
  for (const button of document.querySelectorAll('[data-copy]')) startCopy(button);
  document.querySelector('[data-autofocus]')?.focus();
});
