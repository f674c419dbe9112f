import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { can } from '../../access/permissions';
import type { OptOut } from '../../contacts/schemas';
import { EmptyState, Page } from '../layout';
import { CsrfField, ErrorSummary, type FieldErrors, InputField } from '../ui/form';
import { viewerZone } from '../ui/format';
import { LoadMore, nextPageHref } from '../ui/load-more';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';
import { AudiencesNav, DoneNotice } from './nav';

const notices: Record<string, string> = {
  added: 'The phone is opted out: it gets no campaign and no follow-up any more.',
  already: 'That phone was already opted out.',
  removed: 'The phone is opted back in: it will receive the campaigns sent to its lists again.',
};

/** Opted-out phones, newest first, the form that adds one, and (admins) the way back in. */
export function OptOutsPage(props: {
  c: Context;
  optOuts: OptOut[];
  nextCursor: string | null;
  phone?: string;
  errors?: FieldErrors;
  message?: string;
}) {
  const { c, optOuts } = props;
  const actor = actorOf(c);
  const zone = viewerZone(c);
  const errors = props.errors ?? {};
  const admin = can(actor, 'admin');
  return (
    <Page
      actor={actor}
      area="audiences"
      title="Opt-outs"
      subtitle="Phones that get no campaign and no follow-up, whatever list holds them."
    >
      <AudiencesNav current="/audiences/opt-outs" />
      <DoneNotice notices={notices} done={c.req.query('done')} />
      <ErrorSummary errors={errors} message={props.message} />
      {can(actor, 'write') ? (
        <form method="post" action="/audiences/opt-outs" class="stack card">
          <CsrfField actor={actor} />
          <InputField
            name="phone"
            label="Opt out a phone"
            hint="With its country code (+49 151 1234 5678), or as your imports write it."
            error={errors.phone}
            input={{
              inputmode: 'tel',
              autocomplete: 'off',
              required: true,
              maxlength: 64,
              class: 'narrow',
              value: props.phone ?? '',
            }}
          />
          <button type="submit" class="button primary">
            Opt this phone out
          </button>
        </form>
      ) : null}
      {optOuts.length === 0 && !c.req.query('cursor') ? (
        <EmptyState title="No one has opted out">
          A customer who replies STOP (or another stop word) is added here by itself. You can also
          opt a phone out by hand above.
        </EmptyState>
      ) : (
        <DataTable
          caption="Opted-out phones, newest first"
          columns={['Phone', 'Since', 'How', ...(admin ? ['Opt back in'] : [])]}
        >
          {optOuts.map((optOut) => (
            <tr>
              <td class="mono">
                {optOut.contactId ? (
                  <a href={`/audiences/contacts/${optOut.contactId}`}>{optOut.phone}</a>
                ) : (
                  optOut.phone
                )}
              </td>
              <td>
                <Time at={optOut.optedOutAt} zone={zone} />
              </td>
              <td>{optOut.source === 'keyword' ? 'Replied with a stop word' : 'By hand'}</td>
              {admin ? (
                <td>
                  <a href={`/audiences/opt-outs/remove?phone=${encodeURIComponent(optOut.phone)}`}>
                    Opt back in…<span class="visually-hidden"> {optOut.phone}</span>
                  </a>
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      )}
      <LoadMore href={nextPageHref(c.req.url, props.nextCursor)} />
    </Page>
  );
}
