import type { Child } from 'hono/jsx';

/**
 * "Load more" (docs/console.md: collections are paged by the API's cursors): a link to the next
 * page, or nothing on the last page. With `rows` (the id of a table's body), a page script
 * (campaigns.js) appends the next page's rows there in place instead of opening it.
 */
export function LoadMore(props: { href: string | null | undefined; label?: Child; rows?: string }) {
  if (!props.href) return null;
  return (
    <p class={props.rows ? 'load-more' : 'pagination'}>
      <a class="button" data-load-more={props.rows} href={props.href}>
        {props.label ?? 'Load more'}
      </a>
    </p>
  );
}

/** The page's URL with `cursor` (or another name) set to the next page's. */
export function nextPageHref(url: string, cursor: string | null, name = 'cursor'): string | null {
  if (!cursor) return null;
  const next = new URL(url);
  next.searchParams.set(name, cursor);
  return `${next.pathname}${next.search}`;
}
