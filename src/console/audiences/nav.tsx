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

/** A `?done=` notice after a Post/Redirect/Get, in words. */
export function DoneNotice(props: { notices: Record<string, string>; done?: string }) {
  const text = props.done ? props.notices[props.done] : undefined;
  return text ? (
    <p class="notice ok" role="status">
      {text}
    </p>
  ) : null;
}
