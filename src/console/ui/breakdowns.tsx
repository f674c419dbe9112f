import { CLOUD_API_ERRORS } from '../../provider/cloud-api-errors';
import type { PricingSplit } from '../../stats/period-figures';
import { formatNumber, formatPercent } from './format';
import { DataTable } from './table';

/**
 * The figures by Meta's error code and pricing category, and the estimated cost from the price
 * card (docs/decisions.md, "Error codes and pricing in the stats"): on a campaign's page and on
 * Analytics, the same tables.
 */

/** Meta's pricing categories in words; another (a new one of Meta's) is shown as it comes. */
const categoryWords: Record<string, string> = {
  marketing: 'Marketing',
  utility: 'Utility',
  authentication: 'Authentication',
  authentication_international: 'Authentication (international)',
  marketing_lite: 'Marketing lite',
  service: 'Service',
  referral_conversion: 'Free entry point',
};

export const categoryName = (category: string) => categoryWords[category] ?? category;

/** What a code means: the title Meta gave it when known, else the service's own words for it. */
export function codeMeaning(code: number, title: string | null | undefined): string | null {
  if (title) return title;
  const meaning = CLOUD_API_ERRORS[code]?.meaning;
  return meaning ? `${meaning.charAt(0).toUpperCase()}${meaning.slice(1)}` : null;
}

/** An amount of money for people: `4.52 USD`, `0.0035 USD` (at least two decimals, at most four). */
export function formatMoney(amount: number, currency: string) {
  const digits = amount !== 0 && Math.abs(amount) < 0.01 ? 4 : 2;
  return `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: digits })} ${currency}`;
}

export type CodeRow = { code: number; title?: string | null; count: number };

/** Failed and held-out messages by Meta's error code, most first, with what each code means. */
export function ErrorCodesTable(props: { rows: CodeRow[]; caption: string }) {
  const rows = [...props.rows].sort((a, b) => b.count - a.count || a.code - b.code);
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  return (
    <DataTable
      caption={props.caption}
      class="error-codes"
      columns={[
        'Code',
        'What it means',
        { heading: 'Messages', numeric: true },
        { heading: 'Share', numeric: true },
      ]}
    >
      {rows.map((row) => {
        const meaning = codeMeaning(row.code, row.title);
        return (
          <tr>
            <td>
              <code>{String(row.code)}</code>
            </td>
            <td>{meaning ?? <span class="muted">No description from Meta</span>}</td>
            <td class="num">{formatNumber(row.count)}</td>
            <td class="num">{formatPercent(row.count / total)}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}

/** The messages Meta priced by category, billable or free. */
export function PricingTable(props: { split: Record<string, PricingSplit>; caption: string }) {
  const rows = Object.entries(props.split).sort(
    ([a, x], [b, y]) => y.billable + y.free - (x.billable + x.free) || a.localeCompare(b),
  );
  return (
    <DataTable
      caption={props.caption}
      class="pricing-split"
      columns={[
        'Category',
        { heading: 'Billable', numeric: true },
        { heading: 'Free', numeric: true },
        { heading: 'Messages', numeric: true },
      ]}
    >
      {rows.map(([category, split]) => (
        <tr>
          <td>{categoryName(category)}</td>
          <td class="num">{formatNumber(split.billable)}</td>
          <td class="num">{formatNumber(split.free)}</td>
          <td class="num">{formatNumber(split.billable + split.free)}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/** The estimated cost by currency, in words; nothing without a price card. */
export function EstimatedCost(props: { cost: Record<string, number> | null; of: string }) {
  if (props.cost === null) return null;
  const amounts = Object.entries(props.cost).sort(([a], [b]) => a.localeCompare(b));
  return (
    <p class="card estimated-cost">
      <strong>Estimated cost:</strong>{' '}
      {amounts.length === 0
        ? 'nothing billable that the price card prices'
        : amounts.map(([currency, amount], i) => (
            <>
              {i > 0 ? ' + ' : ''}
              <span class="figure-money" title={`${amount} ${currency}`}>
                {formatMoney(amount, currency)}
              </span>
            </>
          ))}
      <span class="hint">
        {` ${props.of}, at the price card's price for each message's category and country.`}
      </span>
    </p>
  );
}

/**
 * The section of both pages: failures by code, the pricing split and the cost, each with words
 * when it is empty; none at all when all three are (chat-api and the sandbox neither code nor
 * price messages, and without a price card there is no cost).
 */
export function CodesAndPricing(props: {
  codes: CodeRow[];
  split: Record<string, PricingSplit>;
  cost: Record<string, number> | null;
  /** The messages counted, in words: "of this campaign", "sent in this period". */
  of: string;
}) {
  const { codes, split } = props;
  // a chat-api or sandbox account without a price card: Meta codes and prices nothing there
  if (codes.length === 0 && Object.keys(split).length === 0 && props.cost === null) return null;
  return (
    <section aria-labelledby="codes-pricing-title" class="codes-pricing">
      <h2 id="codes-pricing-title">Error codes and pricing</h2>
      <EstimatedCost cost={props.cost} of={`Billable messages ${props.of}`} />
      <div class="breakdowns">
        <div>
          <h3>Failures by error code</h3>
          {codes.length === 0 ? (
            <p class="muted">{`No message ${props.of} failed with an error code from Meta.`}</p>
          ) : (
            <ErrorCodesTable
              rows={codes}
              caption={`Failed and held-out messages ${props.of} by Meta's error code, most first`}
            />
          )}
        </div>
        <div>
          <h3>Billable and free by category</h3>
          {Object.keys(split).length === 0 ? (
            <p class="muted">{`Meta has priced no message ${props.of} yet.`}</p>
          ) : (
            <PricingTable
              split={split}
              caption={`Messages ${props.of} Meta priced, by pricing category`}
            />
          )}
        </div>
      </div>
    </section>
  );
}
