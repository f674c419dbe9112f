import type { Sql } from '../db/client';
import type { TemplateForSend } from '../templates/render';

export type RunForSending = {
  id: string;
  status: string;
  campaignId: string;
  ratePerSecond: number | null;
  template: TemplateForSend;
};

/** What a dispatcher needs of a run: its campaign's pace and the template it was opened with. */
export async function loadRunForSending(
  sql: Sql,
  runId: string,
): Promise<RunForSending | undefined> {
  const [row] = await sql<
    {
      status: string;
      campaignId: string;
      ratePerSecond: number | null;
      name: string;
      namespace: string;
      code: string;
      policy: 'deterministic' | 'fallback';
      parameters: string[] | string;
    }[]
  >`
    select r.status, r.campaign_id as "campaignId", c.rate_per_second as "ratePerSecond",
      t.name, t.namespace, t.language_code as code, t.language_policy as policy, t.parameters
    from runs r join campaigns c on c.id = r.campaign_id
      join templates t on t.id = coalesce(r.template_id, c.template_id)
    where r.id = ${runId}`;
  if (!row) return undefined;
  // drizzle hands the shared client's jsonb back as text
  const parameters =
    typeof row.parameters === 'string' ? (JSON.parse(row.parameters) as string[]) : row.parameters;
  return {
    id: runId,
    status: row.status,
    campaignId: row.campaignId,
    ratePerSecond: row.ratePerSecond,
    template: {
      name: row.name,
      namespace: row.namespace,
      language: { code: row.code, policy: row.policy },
      parameters,
    },
  };
}
