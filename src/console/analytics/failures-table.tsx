import type { Failures } from '../../stats/period-schemas';
import { formatNumber, formatPercent } from '../ui/format';
import { DataTable } from '../ui/table';

/** The period's failures by reason (GET /v1/stats/failures), most first. */
export function FailuresTable(props: { failures: Failures }) {
  const { failures } = props;
  return (
    <section aria-labelledby="failures-title">
      <h2 id="failures-title">Why messages failed</h2>
      {failures.failed === 0 ? (
        <p class="muted">No message failed in this period.</p>
      ) : (
        <DataTable
          caption="Failed messages by reason, most first"
          columns={[
            'Reason given',
            { heading: 'Messages', numeric: true },
            { heading: 'Share', numeric: true },
          ]}
        >
          {failures.reasons.map((row) => (
            <tr>
              <td>{row.reason ?? <span class="muted">No reason recorded</span>}</td>
              <td class="num">{formatNumber(row.count)}</td>
              <td class="num">{formatPercent(row.count / failures.failed)}</td>
            </tr>
          ))}
          {failures.otherReasons > 0 ? (
            <tr>
              <td class="muted">Every other reason</td>
              <td class="num">{formatNumber(failures.otherReasons)}</td>
              <td class="num">{formatPercent(failures.otherReasons / failures.failed)}</td>
            </tr>
          ) : null}
        </DataTable>
      )}
    </section>
  );
}
