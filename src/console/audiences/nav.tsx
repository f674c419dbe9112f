import type { Child } from 'hono/jsx';

const sections = [
  { href: '/audiences', label: 'Lists' },
  { href: '/audiences/contacts', label: 'Find a contact' },
  { href: '/audiences/opt-outs', label: 'Opt-outs' },
];

/** The sections of Audiences, as tabs above its pages. */
export function AudiencesNav(props: { current?: string }) {
  return (
    <nav aria-label="Audiences" class="filters">
      {sections.map((section) => (
        <a href={section.href} aria-current={section.href === props.current ? 'page' : undefined}>
          {section.label}
        </a>
      ))}
    </nav>
  );
}

/** "Load more": the next page by the API's cursor, or nothing on the last page. */
export function LoadMore(props: { href: string | null; label?: Child }) {
  if (!props.href) return null;
  return (
    <p class="pagination">
      <a class="button" href={props.href}>
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

/** A `?done=` notice after a Post/Redirect/Get, in words. */
export function DoneNotice(props: { notices: Record<string, string>; done?: string }) {
  const text = props.done ? props.notices[props.done] : undefined;
  return text ? (
    <p class="notice ok" role="status">
      {text}
    </p>
  ) : null;
}
