import type { Child } from 'hono/jsx';

/**
 * A column's heading: its words, or an object for a heading that holds numbers (the `num` class
 * aligns them right), is not plain words (a sort link, words only for screen readers), or is the
 * column the rows are sorted by (`aria-sort`).
 */
export type Column =
  | string
  | { heading: Child; numeric?: boolean; sorted?: 'ascending' | 'descending' };

/**
 * A data table (docs/console.md: collections are tables) in its frame, which scrolls sideways
 * when the table is wider than the screen. The frame is focusable and named by the caption, so
 * that a keyboard can scroll it (axe: scrollable-region-focusable; docs/decisions.md, "Audiences
 * in the console"). Every table has a caption; it is read by screen readers only, unless the page
 * shows it (`showCaption`). The rows are the children, `<tr>`s.
 */
export function DataTable(props: {
  caption: string;
  showCaption?: boolean;
  columns: Column[];
  /** The table's own class, for the CSS of one table (`campaign-list`, `conversations`). */
  class?: string;
  /** The body's id, for a script that appends the next page's rows to it ("Load more"). */
  bodyId?: string;
  children: Child;
}) {
  return (
    <section class="table-wrap" tabindex={0} aria-label={props.caption}>
      <table class={props.class}>
        <caption class={props.showCaption ? undefined : 'visually-hidden'}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) =>
              typeof column === 'string' ? (
                <th scope="col">{column}</th>
              ) : (
                <th
                  scope="col"
                  class={column.numeric ? 'num' : undefined}
                  aria-sort={column.sorted}
                >
                  {column.heading}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody id={props.bodyId}>{props.children}</tbody>
      </table>
    </section>
  );
}
