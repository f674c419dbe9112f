import type { Actor } from '../../access/actor';
import { can } from '../../access/permissions';
import type { CampaignPage, CampaignStatus } from '../../campaigns/schemas';
import type { Progress } from '../../stats/schemas';
import { EmptyState, Page } from '../layout';
import { formatNumber } from '../ui/format';
import { LoadMore } from '../ui/load-more';
import { DataTable } from '../ui/table';
import { CampaignRow } from './campaign-rows';

/** The list's filters: a state, or the finished ones (completed or cancelled) together. */
export const listFilters = [
  { key: 'all', label: 'All', statuses: undefined },
  { key: 'running', label: 'Running', statuses: ['running'] },
  { key: 'scheduled', label: 'Scheduled', statuses: ['scheduled'] },
  { key: 'draft', label: 'Drafts', statuses: ['draft'] },
  { key: 'paused', label: 'Paused', statuses: ['paused'] },
  { key: 'finished', label: 'Finished', statuses: ['completed', 'cancelled'] },
] as const satisfies readonly { key: string; label: string; statuses?: CampaignStatus[] }[];
export type ListFilter = (typeof listFilters)[number];

const newCampaign = (
  <a class="button primary" href="/campaigns/new">
    New campaign
  </a>
);

/** The campaigns, newest first, filtered by state, each row with its key figure. */
export function CampaignListPage(props: {
  actor: Actor;
  filter: ListFilter;
  counts: Partial<Record<CampaignStatus, number>>;
  page: CampaignPage;
  progress: Map<string, Progress>;
  continued: boolean;
  zone: string;
}) {
  const { actor, counts } = props;
  const writer = can(actor, 'write');
  const countOf = (statuses: readonly CampaignStatus[] | undefined) =>
    statuses
      ? statuses.reduce((sum, status) => sum + (counts[status] ?? 0), 0)
      : Object.values(counts).reduce((sum, n) => sum + n, 0);
  const href = (key: string) => (key === 'all' ? '/campaigns' : `/campaigns?show=${key}`);
  return (
    <Page
      actor={actor}
      area="campaigns"
      title="Campaigns"
      primary={writer && countOf(undefined) > 0 ? newCampaign : undefined}
      scripts={['campaigns.js']}
    >
      {countOf(undefined) === 0 ? (
        <EmptyState title="No campaigns yet" action={writer ? newCampaign : undefined}>
          Create one to send a template to your lists.
        </EmptyState>
      ) : (
        <CampaignTable {...props} countOf={countOf} href={href} />
      )}
    </Page>
  );
}

function CampaignTable(
  props: Parameters<typeof CampaignListPage>[0] & {
    countOf: (statuses: readonly CampaignStatus[] | undefined) => number;
    href: (key: string) => string;
  },
) {
  const { filter, page, countOf, href } = props;
  return (
    <>
      <nav class="filters" aria-label="Filter campaigns by state">
        {listFilters.map((each) => (
          <a href={href(each.key)} aria-current={each.key === filter.key ? 'page' : undefined}>
            {`${each.label} `}
            <span class="count">{formatNumber(countOf(each.statuses))}</span>
          </a>
        ))}
      </nav>
      {props.continued ? (
        <p>
          <a href={href(filter.key)}>Back to the newest</a>
        </p>
      ) : null}
      {page.data.length === 0 ? (
        <EmptyState title={`No ${filter.label.toLowerCase()} campaigns`}>
          <a href="/campaigns">Show every campaign</a>
        </EmptyState>
      ) : (
        <DataTable
          caption={`Campaigns: ${filter.label}`}
          class="campaign-list"
          bodyId="campaign-rows"
          columns={['Campaign', 'State', 'Progress', 'Last run']}
        >
          {page.data.map((campaign) => (
            <CampaignRow
              campaign={campaign}
              progress={props.progress.get(campaign.id)}
              zone={props.zone}
            />
          ))}
        </DataTable>
      )}
      <LoadMore
        rows="campaign-rows"
        label="Load more campaigns"
        href={
          page.nextCursor
            ? `${href(filter.key)}${filter.key === 'all' ? '?' : '&'}cursor=${encodeURIComponent(page.nextCursor)}`
            : undefined
        }
      />
    </>
  );
}
