import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { EmptyState, Page } from '../layout';
import { fieldId } from '../ui/form';
import { viewerZone } from '../ui/format';
import { LoadMore } from '../ui/load-more';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';
import { SettingsNav } from './settings-nav';

/** An audit event as `GET /v1/audit` answers. */
export type AuditView = {
  id: string;
  at: string;
  actor: {
    kind: 'user' | 'token' | 'machine' | 'anonymous';
    userId?: string;
    tokenId?: string;
    email?: string;
  };
  action: string;
  target: { type: string; id: string | null };
  detail: Record<string, unknown>;
};

const who = (actor: AuditView['actor']) =>
  actor.kind === 'machine'
    ? 'The machine token (API_TOKEN)'
    : actor.kind === 'token'
      ? `${actor.email ?? 'A user'}, with a personal API token`
      : actor.kind === 'anonymous'
        ? `Someone trying ${actor.email ?? 'an unknown email'}`
        : (actor.email ?? 'A user');

/** `campaign.start` → `Campaign start`. */
const words = (action: string) => {
  const text = action.replaceAll('.', ' ').replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
};

const detailText = (detail: Record<string, unknown>) =>
  Object.entries(detail)
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('; ');

export function AuditPage(props: {
  c: Context;
  events: AuditView[];
  nextCursor: string | null;
  filters: { action?: string; from?: string; to?: string };
  error?: string;
}) {
  const zone = viewerZone(props.c);
  const { filters } = props;
  const more = new URLSearchParams({
    ...(filters.action ? { action: filters.action } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
    ...(props.nextCursor ? { cursor: props.nextCursor } : {}),
  });
  return (
    <Page actor={actorOf(props.c)} area="settings" title="Audit trail">
      <SettingsNav current="/settings/audit" />
      <p class="muted">Who did what, and when: newest first. Times in {zone}.</p>
      <form method="get" action="/settings/audit" class="filters">
        <div>
          <label for={fieldId('action')}>Action</label>
          <input
            id={fieldId('action')}
            name="action"
            type="text"
            class="narrow"
            placeholder="campaign.start"
            value={filters.action ?? ''}
            maxlength={60}
          />
        </div>
        <div>
          <label for={fieldId('from')}>From</label>
          <input id={fieldId('from')} name="from" type="date" value={filters.from ?? ''} />
        </div>
        <div>
          <label for={fieldId('to')}>To</label>
          <input id={fieldId('to')} name="to" type="date" value={filters.to ?? ''} />
        </div>
        <button type="submit" class="button">
          Filter
        </button>
      </form>
      {props.error ? <p class="notice danger">{props.error}</p> : null}
      {props.events.length === 0 ? (
        <EmptyState title="Nothing recorded for these filters">
          Every change made through the console or the API appears here, with who made it.
        </EmptyState>
      ) : (
        <DataTable
          caption="Audit events, newest first"
          columns={['When', 'Who', 'What', 'Details']}
        >
          {props.events.map((event) => (
            <tr>
              <td>
                <Time at={event.at} zone={zone} />
              </td>
              <td>{who(event.actor)}</td>
              <td>
                {words(event.action)}
                <span class="muted"> · {event.target.type}</span>
              </td>
              <td>{detailText(event.detail)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <LoadMore href={props.nextCursor ? `/settings/audit?${more}` : null} />
    </Page>
  );
}
