const sections = [
  { href: '/settings', label: 'Overview' },
  { href: '/settings/senders', label: 'Senders' },
  { href: '/settings/users', label: 'Users' },
  { href: '/settings/audit', label: 'Audit trail' },
  { href: '/settings/profile', label: 'Business profile' },
  { href: '/account', label: 'Your API tokens' },
];

/** The sections of Settings, as tabs above each of its pages. */
export function SettingsNav(props: { current: string }) {
  return (
    <nav aria-label="Settings" class="filters">
      {sections.map((section) => (
        <a href={section.href} aria-current={section.href === props.current ? 'page' : undefined}>
          {section.label}
        </a>
      ))}
    </nav>
  );
}
