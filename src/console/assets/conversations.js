// A thread kept up to date (progressive enhancement: the page reads and replies without it).
// console.js's live stream writes the conversation's fingerprint into [data-live="latest"]; when
// it moves (the customer wrote, a reply went out, the window closed), the page is fetched again
// and its parts swapped in place. The reply box is swapped only while nobody is typing in it.
(() => {
  const root = document.querySelector('[data-thread-latest]');
  const latest = root?.querySelector('[data-live="latest"]');
  if (!root || !latest) return;
  let fetching = false;
  const refresh = async () => {
    const seen = latest.textContent;
    if (fetching || !seen || seen === root.dataset.threadLatest) return;
    fetching = true;
    try {
      const response = await fetch(window.location.pathname, { credentials: 'same-origin' });
      if (!response.ok) return;
      const next = new DOMParser().parseFromString(await response.text(), 'text/html');
      for (const part of document.querySelectorAll('[data-thread-part]')) {
        const fresh = next.querySelector(`[data-thread-part="${part.dataset.threadPart}"]`);
        if (fresh && part.dataset.threadPart !== 'window') part.replaceWith(fresh);
      }
      const windowPart = next.querySelector('[data-thread-part="window"]');
      if (windowPart) {
        for (const child of [...root.children]) if (child !== latest) child.remove();
        root.prepend(...[...windowPart.children].filter((child) => !child.matches('[data-live]')));
      }
      const box = document.querySelector('.reply-box');
      const freshBox = next.querySelector('.reply-box');
      const typing = box?.querySelector('textarea');
      if (box && freshBox && typing && !typing.value && document.activeElement !== typing)
        box.replaceWith(freshBox);
      root.dataset.threadLatest = seen;
    } finally {
      fetching = false;
    }
  };
  new MutationObserver(() => void refresh()).observe(latest, {
    childList: true,
    characterData: true,
    subtree: true,
  });
})();
