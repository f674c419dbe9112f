// The Campaigns area's script: progressive enhancement only. "Load more" links open the next
// page without it; with it, the next page's rows are appended in place, and the link moves on.

document.addEventListener('click', async (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-load-more]') : null;
  if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
  event.preventDefault();
  const id = link.dataset.loadMore;
  link.setAttribute('aria-busy', 'true');
  try {
    const response = await fetch(link.href, { headers: { accept: 'text/html' } });
    if (!response.ok) throw new Error(`answered ${response.status}`);
    const next = new DOMParser().parseFromString(await response.text(), 'text/html');
    const rows = next.getElementById(id);
    const target = document.getElementById(id);
    if (!rows || !target) throw new Error('no rows');
    const added = [...rows.children];
    target.append(...added);
    const more = next.querySelector(`a[data-load-more="${id}"]`);
    if (more) {
      link.setAttribute('href', more.getAttribute('href'));
      link.removeAttribute('aria-busy');
    } else {
      link.closest('.load-more')?.remove();
    }
    // keyboard users carry on from the first new row
    added[0]?.querySelector('a, td')?.setAttribute('tabindex', '-1');
    added[0]?.querySelector('a, td')?.focus();
  } catch {
    window.location.assign(link.href);
  }
});
