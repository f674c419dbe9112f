import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { can } from '../../access/permissions';
import { EmptyState, Page } from '../layout';
import { SettingsNav } from '../settings/settings-nav';
import { ActionButton, CsrfField, ErrorSummary, type FieldErrors, InputField } from '../ui/form';
import { viewerZone } from '../ui/format';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';

/** A personal token as `GET /v1/tokens` answers: never the token itself. */
export type TokenView = { id: string; name: string; createdAt: string; lastUsedAt: string | null };

/**
 * Personal API tokens (docs/design.md, rule 27): each acts with its owner's role. A new token is
 * shown on the page that creates it, once; only its digest is kept.
 */
export function TokensPage(props: {
  c: Context;
  tokens: TokenView[];
  created?: { name: string; token: string };
  errors: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const actor = actorOf(props.c);
  const zone = viewerZone(props.c);
  return (
    <Page
      actor={actor}
      area={can(actor, 'admin') ? 'settings' : 'campaigns'}
      title="Your API tokens"
    >
      {can(actor, 'admin') ? <SettingsNav current="/account" /> : null}
      <p>
        A token lets a script or another tool use the API as you, with your role ({actor.role}).
        Send it as <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      {props.notice ? <p class="notice ok">{props.notice}</p> : null}
      {props.created ? (
        <section class="notice ok" aria-labelledby="new-token">
          <h2 id="new-token">Your new token “{props.created.name}”</h2>
          <p>Copy it now: it is shown this once.</p>
          <pre class="block" id="token-value">
            {props.created.token}
          </pre>
          <button type="button" class="button" data-copy="#token-value" hidden>
            Copy token
          </button>
        </section>
      ) : null}
      <ErrorSummary errors={props.errors} message={props.message} />
      <form method="post" action="/account/tokens" class="stack">
        <CsrfField actor={actor} />
        <InputField
          name="name"
          label="Token name"
          hint="What it is for, e.g. “CRM sync”."
          error={props.errors.name}
          input={{ required: true, maxlength: 100, class: 'narrow' }}
        />
        <button type="submit" class="button primary">
          Create token
        </button>
      </form>
      <h2>Your tokens</h2>
      {props.tokens.length === 0 ? (
        <EmptyState title="No tokens yet">
          Create one above when a tool needs to call the API as you.
        </EmptyState>
      ) : (
        <DataTable
          caption="Your tokens"
          columns={[
            'Name',
            'Created',
            'Last used',
            { heading: <span class="visually-hidden">Actions</span> },
          ]}
        >
          {props.tokens.map((token) => (
            <tr>
              <td>{token.name}</td>
              <td>
                <Time at={token.createdAt} zone={zone} />
              </td>
              <td>{token.lastUsedAt ? <Time at={token.lastUsedAt} zone={zone} /> : 'Never'}</td>
              <td>
                <ActionButton
                  actor={actor}
                  action={`/account/tokens/${token.id}/revoke`}
                  label={`Revoke ${token.name}`}
                  variant="danger"
                />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Page>
  );
}
