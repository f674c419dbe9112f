import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { can } from '../../access/permissions';
import type { Sender } from '../../senders/schemas';
import { EmptyState, Page } from '../layout';
import { SettingsNav } from '../settings/settings-nav';
import { LoadMore } from '../ui/load-more';
import { StateBadge } from '../ui/state';
import { DataTable } from '../ui/table';
import {
  limitWords,
  numberWords,
  providerWords,
  rateWords,
  statusAdvice,
  statusWords,
} from './words';

/**
 * Settings → Senders (docs/design.md, rule 31): the numbers campaigns send through, each with
 * its provider, status (and what to do about it), pace, 24-hour limit, and which is the default.
 * Every role reads it; only admins are offered to add one.
 */
export function SendersPage(props: {
  c: Context;
  senders: Sender[];
  nextPage: string | null;
  notice?: string;
}) {
  const actor = actorOf(props.c);
  const admin = can(actor, 'admin');
  return (
    <Page
      actor={actor}
      area="settings"
      title="Senders"
      primary={
        admin ? (
          <a class="button primary" href="/settings/senders/new">
            Add a sender
          </a>
        ) : undefined
      }
    >
      {admin ? <SettingsNav current="/settings/senders" /> : null}
      {props.notice ? (
        <p class="notice ok" role="status">
          {props.notice}
        </p>
      ) : null}
      <p>
        The WhatsApp numbers your campaigns send through. A campaign sends through the default
        sender unless it names another.
      </p>
      {props.senders.length === 0 ? (
        <EmptyState title="No senders">
          The default sender comes from the service’s environment at its next start.
        </EmptyState>
      ) : (
        <DataTable
          caption="Senders"
          columns={[
            'Name',
            'Provider',
            'Number',
            'Status',
            { heading: 'Pace', numeric: true },
            { heading: '24-hour limit', numeric: true },
          ]}
        >
          {props.senders.map((sender) => (
            <tr>
              <td>
                <a class="row-link" href={`/settings/senders/${sender.id}`}>
                  {sender.name}
                </a>
                {sender.isDefault ? <span class="tag">Default</span> : null}
              </td>
              <td>{providerWords[sender.provider]}</td>
              <td class="nowrap">
                {numberWords(sender)}
                {sender.displayPhoneNumber && sender.phoneNumberId ? (
                  <span class="muted cell-note">ID {sender.phoneNumberId}</span>
                ) : null}
              </td>
              <td>
                <StateBadge state={sender.status} label={statusWords[sender.status]} />
                {sender.status === 'active' ? null : (
                  <span class="muted cell-note">{statusAdvice(sender)}</span>
                )}
              </td>
              <td class="num nowrap">{rateWords(sender.ratePerSecond)}</td>
              <td class="num nowrap">{limitWords(sender.messagingLimit24h)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <LoadMore href={props.nextPage} label="Load more senders" />
    </Page>
  );
}
