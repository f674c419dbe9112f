import type { Context } from 'hono';
import { actorOf } from '../../access/actor';
import { getImport } from '../../contacts/import/imports';
import type { Import } from '../../contacts/import/schemas';
import type { List } from '../../contacts/lists/schemas';
import type { AppContext } from '../../context';
import { Page } from '../layout';
import type { LiveFigures } from '../live';
import { formatNumber, viewerZone } from '../ui/format';
import { Time } from '../ui/time';
import { Refused } from './refused-rows';

/** An import's state, as a badge's colour and its word. */
export const statusWords: Record<Import['status'], { state: string; label: string }> = {
  queued: { state: 'pending', label: 'Waiting to start' },
  running: { state: 'running', label: 'Importing' },
  completed: { state: 'completed', label: 'Finished' },
  failed: { state: 'failed', label: 'Failed' },
};

const finished = (status: Import['status']) => status === 'completed' || status === 'failed';

/** The figures of an import as its page shows them, live (key `import:<id>`). */
export async function importFigures(ctx: AppContext, importId: string): Promise<LiveFigures> {
  const current = await getImport(ctx, importId);
  return {
    status: statusWords[current.status].label,
    rows: formatNumber(current.rows),
    created: formatNumber(current.created),
    updated: formatNumber(current.updated),
    duplicates: formatNumber(current.duplicates),
    invalid: formatNumber(current.invalid),
    completed: current.status === 'completed',
    failed: current.status === 'failed',
    failure: current.failure ?? '',
    refused: current.invalid > 0,
    done: finished(current.status),
  };
}

const figures: [key: keyof Import & string, label: string][] = [
  ['rows', 'Rows read'],
  ['created', 'New contacts'],
  ['updated', 'Contacts updated'],
  ['duplicates', 'Repeated in the file'],
  ['invalid', 'Rows refused'],
];

/** An import: its state and counts (live while it runs), then the rows it refused and why. */
export function ImportPage(props: { c: Context; upload: Import; list: List }) {
  const { c, upload, list } = props;
  const done = finished(upload.status);
  const words = statusWords[upload.status];
  return (
    <Page
      actor={actorOf(c)}
      area="audiences"
      title={`Import into ${list.name}`}
      subtitle={
        <>
          <a href={`/audiences/lists/${list.id}`}>{list.name}</a> · uploaded{' '}
          <Time at={upload.createdAt} zone={viewerZone(c)} />
        </>
      }
    >
      <div
        class="import-progress"
        data-live-src={done ? undefined : `/audiences/imports/${upload.id}/live`}
      >
        <p class="import-state">
          <span class={`badge state-${words.state}`}>
            <span class="dot" aria-hidden="true" />
            <span data-live="status">{words.label}</span>
          </span>{' '}
          {done ? null : (
            <span class="live-status" data-live-status role="status">
              Updates every second.
            </span>
          )}
        </p>
        <ul class="figures">
          {figures.map(([key, label]) => (
            <li class="figure">
              <span class="value" data-live={key}>
                {formatNumber(upload[key] as number)}
              </span>
              <span class="label">{label}</span>
            </li>
          ))}
        </ul>
        {done ? null : <LiveOutcome upload={upload} list={list} />}
      </div>
      <Outcome upload={upload} list={list} />
      {done && upload.invalid > 0 ? <Refused upload={upload} /> : null}
    </Page>
  );
}

function Outcome(props: { upload: Import; list: List }) {
  const { upload, list } = props;
  if (upload.status === 'failed') {
    return (
      <div class="notice danger" role="alert">
        <p>The import failed and nothing of the file was added: {upload.failure}</p>
        <a href={`/audiences/lists/${list.id}/upload`}>Upload a corrected file</a>
      </div>
    );
  }
  if (upload.status !== 'completed') return null;
  return (
    <div class="notice ok" role="status">
      <p>
        Finished: {formatNumber(upload.created)} new and {formatNumber(upload.updated)} updated
        contacts are in {list.name}.
      </p>
      <a href={`/audiences/lists/${list.id}`}>See the list</a>
    </div>
  );
}

/**
 * What a page opened while the import ran shows when it ends, without reloading: shown by the
 * live figures (`completed`, `failed`, `refused`), the failure's words filled in by them.
 */
function LiveOutcome(props: { upload: Import; list: List }) {
  const { upload, list } = props;
  return (
    <>
      <div class="notice ok" role="status" data-live-show-when="completed" hidden>
        <p>Finished: the figures above are final.</p>
        <a href={`/audiences/lists/${list.id}`}>See the list</a>
      </div>
      <div class="notice danger" role="alert" data-live-show-when="failed" hidden>
        <p>
          The import failed and nothing of the file was added: <span data-live="failure" />
        </p>
        <a href={`/audiences/lists/${list.id}/upload`}>Upload a corrected file</a>
      </div>
      <p data-live-show-when="refused" hidden>
        <a class="button" href={`/v1/imports/${upload.id}/errors`} download>
          Download the refused rows (CSV)
        </a>{' '}
        <a href={`/audiences/imports/${upload.id}`}>Show the refused rows here</a>
      </p>
    </>
  );
}
