import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Actor } from '../access/actor';
import { can } from '../access/permissions';
import { assetPath } from './assets';
import { CsrfField } from './ui/form';

/** The console's areas, in the order a new marketer meets them (docs/console.md). */
export type Area =
  | 'audiences'
  | 'templates'
  | 'campaigns'
  | 'conversations'
  | 'analytics'
  | 'settings';

/**
 * Settings are the admins'; the others open its one page they read, the senders, as their own
 * entry (`for`: who sees an entry, everyone when absent).
 */
const areas: { area: Area; label: string; href: string; for?: 'admins' | 'others' }[] = [
  { area: 'audiences', label: 'Audiences', href: '/audiences' },
  { area: 'templates', label: 'Templates', href: '/templates' },
  { area: 'campaigns', label: 'Campaigns', href: '/campaigns' },
  { area: 'conversations', label: 'Conversations', href: '/conversations' },
  { area: 'analytics', label: 'Analytics', href: '/analytics' },
  { area: 'settings', label: 'Settings', href: '/settings', for: 'admins' },
  { area: 'settings', label: 'Senders', href: '/settings/senders', for: 'others' },
];

/** The bare HTML document: the sign-in page uses it alone, every other page inside `Page`. */
export function Document(props: { title: string; children: Child; scripts?: string[] }) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${props.title} · Broadcast`}</title>
          <link rel="stylesheet" href={assetPath('console.css')} />
          <link rel="icon" href={assetPath('icon.svg')} type="image/svg+xml" />
          <script src={assetPath('console.js')} defer />
          {(props.scripts ?? []).map((name) => (
            <script src={assetPath(name)} defer />
          ))}
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}

/**
 * A signed-in page: the navigation (the areas the role may open), the title with the page's one
 * primary action at the top right, then the content.
 */
export function Page(props: {
  actor: Actor;
  area: Area;
  title: string;
  /** The page's primary action, top right: a link or a button. */
  primary?: Child;
  /** A line under the title: the state of the thing, a back link. */
  subtitle?: Child;
  /** Page scripts from src/console/assets (progressive enhancement). */
  scripts?: string[];
  children: Child;
}) {
  const { actor } = props;
  const user = actor.kind === 'machine' ? undefined : actor.user;
  return (
    <Document title={props.title} scripts={props.scripts}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <div class="shell">
        <header class="sidebar">
          <a class="brand" href="/campaigns">
            <span class="brand-dot" aria-hidden="true" />
            Broadcast
          </a>
          <nav aria-label="Main">
            <ul>
              {areas
                .filter(
                  (entry) =>
                    entry.for === undefined || (entry.for === 'admins') === can(actor, 'admin'),
                )
                .map((entry) => (
                  <li>
                    <a
                      href={entry.href}
                      aria-current={entry.area === props.area ? 'page' : undefined}
                    >
                      {entry.label}
                    </a>
                  </li>
                ))}
            </ul>
          </nav>
          {user ? (
            <div class="who">
              <span>
                {user.name} <span class="muted">({user.role})</span>
              </span>
              <a href="/account">Your API tokens</a>
              <form method="post" action="/sign-out">
                <CsrfField actor={actor} />
                <button type="submit" class="link-button">
                  Sign out
                </button>
              </form>
            </div>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          <div class="page-head">
            <div>
              <h1>{props.title}</h1>
              {props.subtitle ? <div class="subtitle">{props.subtitle}</div> : null}
            </div>
            {props.primary ? <div class="primary-action">{props.primary}</div> : null}
          </div>
          {props.children}
        </main>
      </div>
    </Document>
  );
}

/** What a page shows when there is nothing yet: what it is for and the first step. */
export function EmptyState(props: { title: string; children: Child; action?: Child }) {
  return (
    <div class="empty-state">
      <h2>{props.title}</h2>
      <p>{props.children}</p>
      {props.action ?? null}
    </div>
  );
}
