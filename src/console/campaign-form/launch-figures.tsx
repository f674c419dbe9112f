import type { Preview } from '../../campaigns/preview-schemas';
import { skipWarnings } from '../../campaigns/skip-rule';
import { parameterNames } from '../../templates/body-parameters';
import { componentLayout } from '../../templates/component-parameters';
import type { Template } from '../../templates/schemas';
import { categoryName, formatMoney } from '../ui/breakdowns';
import { formatNumber } from '../ui/format';
import { DataTable } from '../ui/table';
import { Time } from '../ui/time';
import { durationWords } from './pace-field';

const plural = (n: number, one: string, many: string) =>
  `${formatNumber(n)} ${n === 1 ? one : many}`;

/** Who the next run takes: the lists merged, opt-outs left out, skips counted (rule 9). */
export function AudienceFigures(props: { preview: Preview }) {
  const { preview } = props;
  const figures: [string, number, string?][] = [
    ['Will be sent the template', preview.eligible, 'state-sent'],
    ['Audience, each contact once', preview.audience],
    ['Skipped: missing attributes', preview.skipped, 'state-skipped'],
    ['On more than one list', preview.duplicates],
    ['Opted out, left out', preview.optedOut, 'state-opted_out'],
    // only a campaign with a cap or a window (and its recipients outside it) has these
    ...(preview.capped === null
      ? []
      : [
          ['Of those, skipped by the frequency cap now', preview.capped, 'state-skipped'] as [
            string,
            number,
            string,
          ],
        ]),
    ...(preview.outsideWindowNow > 0
      ? [
          [
            'Of those, outside their send window now',
            preview.outsideWindowNow,
            'state-pending',
          ] as [string, number, string],
        ]
      : []),
    ...(preview.expiring > 0
      ? [
          ['Of those, past the deadline: would expire', preview.expiring, 'state-expired'] as [
            string,
            number,
            string,
          ],
        ]
      : []),
    // only a campaign with a holdout group has anyone in it
    ...(preview.heldOut > 0
      ? [
          ['Holdout group: sent nothing', preview.heldOut, 'state-held_out'] as [
            string,
            number,
            string,
          ],
        ]
      : []),
  ];
  return (
    <ul class="figures" aria-label="The audience of the next run">
      {figures.map(([label, value, state]) => (
        <li class={`figure ${state ?? ''}`}>
          <span class="value" data-figure={label}>
            {formatNumber(value)}
          </span>
          <span class="label">
            {state ? <span class="dot" aria-hidden="true" /> : null}
            {label}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Who is left out, and why, in words (the feature's own, skip-rule.ts). */
export function LeftOut(props: { preview: Preview }) {
  const { preview } = props;
  const lines = [
    ...(preview.duplicates > 0
      ? [
          `${plural(preview.duplicates, 'contact is', 'contacts are')} on more than one of the lists: each gets the template once.`,
        ]
      : []),
    ...(preview.optedOut > 0
      ? [
          `${plural(preview.optedOut, 'contact has', 'contacts have')} opted out: they are left out.`,
        ]
      : []),
    ...skipWarnings(preview).map(
      (warning) => `${warning.charAt(0).toUpperCase()}${warning.slice(1)}.`,
    ),
  ];
  return (
    <section aria-labelledby="left-out-heading">
      <h2 id="left-out-heading">Who is left out, and why</h2>
      {lines.length === 0 ? (
        <p>Nobody: every contact of the lists gets the template.</p>
      ) : (
        <ul>
          {lines.map((line) => (
            <li>{line}</li>
          ))}
        </ul>
      )}
      {preview.skipped > 0 ? (
        <p class="muted">
          To reach them, give the template's placeholders a fallback ({'{{city|your city}}'}) in a
          new template, or fill the missing columns in the lists.
        </p>
      ) : null}
    </section>
  );
}

/**
 * The sample's column headings: the body's `{{1}}`… (a named template's `{{name}}`s), then a
 * synced template's header and buttons, whose values follow the body's (sendParameters).
 */
function sampleColumns(template: Template | undefined, count: number): string[] {
  const layout = template
    ? componentLayout({
        ...template,
        componentParameters: {
          ...(template.headerParameter === null ? {} : { header: template.headerParameter }),
          buttons: template.buttonParameters,
        },
      })
    : { buttons: [] };
  const extra = [
    ...(layout.header ? ['Header'] : []),
    ...layout.buttons.map((button) => `Button ${button.index + 1}`),
  ];
  const names = template ? parameterNames(template) : undefined;
  const body = Array.from(
    { length: Math.max(0, count - extra.length) },
    (_, i) => `{{${names?.[i] ?? i + 1}}}`,
  );
  return [...body, ...extra].slice(0, count);
}

/** Up to three recipients with the parameters they would get. */
export function Sample(props: { preview: Preview; template?: Template }) {
  const { sample } = props.preview;
  if (sample.length === 0) return null;
  const count = Math.max(...sample.map((each) => each.parameters.length));
  const headings = sampleColumns(props.template, count);
  const columns = headings.length;
  return (
    <section aria-labelledby="sample-heading">
      <h2 id="sample-heading">Who gets what: a sample</h2>
      <DataTable
        caption="Up to three recipients and the parameters they would get"
        columns={['Phone', ...headings]}
      >
        {sample.map((each) => (
          <tr>
            <td class="nowrap">{each.phone}</td>
            {Array.from({ length: columns }, (_, i) => (
              <td>{each.parameters[i] ?? ''}</td>
            ))}
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** When it starts and ends, at which pace, and the account's 24-hour messaging limit. */
export function Timing(props: { preview: Preview; zone: string; ratePerSecond: number | null }) {
  const { preview, zone } = props;
  const seconds = (Date.parse(preview.estimatedFinish) - Date.parse(preview.estimatedStart)) / 1000;
  const pace = formatNumber(preview.pacePerSecond);
  const whose =
    props.ratePerSecond !== null && props.ratePerSecond <= preview.pacePerSecond
      ? "this campaign's pace"
      : "the account's limit for all campaigns";
  const { limit, usedLast24h, needed } = preview.messagingLimit;
  return (
    <section aria-labelledby="timing-heading">
      <h2 id="timing-heading">When</h2>
      <dl class="details">
        <dt>Starts</dt>
        <dd>
          <Time at={preview.estimatedStart} zone={zone} />
        </dd>
        <dt>Last message</dt>
        <dd>
          <Time at={preview.estimatedFinish} zone={zone} />{' '}
          <span class="muted">({durationWords(seconds)} after the start)</span>
        </dd>
        <dt>Pace</dt>
        <dd>
          {pace} a second, {whose}
        </dd>
        <dt>Daily limit</dt>
        <dd>
          {limit === null
            ? 'None is set for this account.'
            : `This run needs ${plural(needed, 'recipient', 'recipients')} of the ${formatNumber(limit)} a day the account may reach; ${formatNumber(usedLast24h)} got a template in the last 24 hours.`}
        </dd>
        {preview.estimatedCost ? (
          <>
            <dt>Estimated cost</dt>
            <dd>{costWords(preview.estimatedCost)}</dd>
          </>
        ) : null}
      </dl>
      <p class="muted">
        An estimate, with the account to itself: campaigns sending at the same time share its pace.
      </p>
    </section>
  );
}

/** The run's estimated cost in words: the amount, who it prices, and who it cannot. */
function costWords(cost: NonNullable<Preview['estimatedCost']>): string {
  const [category = ''] = Object.keys(cost.byCategory);
  const amount = `About ${formatMoney(cost.total, cost.currency)} for ${plural(cost.priced, 'recipient', 'recipients')} at the ${categoryName(category).toLowerCase()} price of the price card, if Meta charges each one.`;
  return cost.unpriced === 0
    ? amount
    : `${amount} The card has no price for the country of ${plural(cost.unpriced, 'other recipient', 'other recipients')}.`;
}
