/**
 * "Load more" (docs/console.md: paging by the API's cursors): a link to the next page, which
 * campaigns.js turns into rows appended to `rows` (the tbody's id) in place.
 */
export function LoadMore(props: { rows: string; href: string | undefined; label: string }) {
  if (!props.href) return null;
  return (
    <p class="load-more">
      <a class="button" data-load-more={props.rows} href={props.href}>
        {props.label}
      </a>
    </p>
  );
}
