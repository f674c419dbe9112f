import { createRoute, z } from '@hono/zod-openapi';
import { messageStatus } from '../db/schema';
import { json, problems } from '../http/openapi';
import { PathId } from '../http/params';
import { LaunchBody, Preview } from './preview-schemas';
import { NextFiringsQuery, ScheduleFirings } from './schedule-schemas';
import {
  Campaign,
  CampaignListQuery,
  CampaignPage,
  CreateCampaign,
  RunList,
  UpdateCampaign,
} from './schemas';

const CampaignIdParam = PathId('campaignId');

export const createSpec = createRoute({
  method: 'post',
  path: '/v1/campaigns',
  operationId: 'createCampaign',
  tags: ['campaigns'],
  summary: 'Create a campaign: draft without a schedule, else scheduled',
  request: {
    body: { content: { 'application/json': { schema: CreateCampaign } }, required: true },
  },
  responses: { 201: json(Campaign, 'created'), ...problems(400, 401, 422) },
});

export const listSpec = createRoute({
  method: 'get',
  path: '/v1/campaigns',
  operationId: 'listCampaigns',
  tags: ['campaigns'],
  summary: 'Campaigns, newest first; `status` picks some states',
  request: { query: CampaignListQuery },
  responses: { 200: json(CampaignPage, 'a page of campaigns'), ...problems(400, 401) },
});

export const showSpec = createRoute({
  method: 'get',
  path: '/v1/campaigns/{campaignId}',
  operationId: 'getCampaign',
  tags: ['campaigns'],
  summary: 'One campaign',
  request: { params: CampaignIdParam },
  responses: { 200: json(Campaign, 'the campaign'), ...problems(401, 404) },
});

export const updateSpec = createRoute({
  method: 'patch',
  path: '/v1/campaigns/{campaignId}',
  operationId: 'updateCampaign',
  tags: ['campaigns'],
  summary: 'Change a draft, scheduled or paused campaign',
  request: {
    params: CampaignIdParam,
    body: { content: { 'application/json': { schema: UpdateCampaign } }, required: true },
  },
  responses: { 200: json(Campaign, 'changed'), ...problems(400, 401, 404, 409, 422) },
});

export const runsSpec = createRoute({
  method: 'get',
  path: '/v1/campaigns/{campaignId}/runs',
  operationId: 'listCampaignRuns',
  tags: ['campaigns'],
  summary: "The campaign's runs, newest slot first",
  request: { params: CampaignIdParam },
  responses: { 200: json(RunList, 'its runs'), ...problems(401, 404) },
});

export const previewSpec = createRoute({
  method: 'get',
  path: '/v1/campaigns/{campaignId}/preview',
  operationId: 'previewCampaign',
  tags: ['campaigns'],
  summary:
    'What the next run would do: its audience, who would be skipped and why, a rendered sample, when it would start and finish',
  request: { params: CampaignIdParam },
  responses: { 200: json(Preview, 'the preview'), ...problems(401, 404, 409) },
});

const transition = (action: string, summary: string) =>
  createRoute({
    method: 'post',
    path: `/v1/campaigns/{campaignId}/${action}`,
    operationId: `${action}Campaign`,
    tags: ['campaigns'],
    summary,
    request: { params: CampaignIdParam },
    responses: { 200: json(Campaign, 'done'), ...problems(401, 404, 409) },
  });

/** Start and resume launch a campaign a person looked at: they take `acceptSkips`. */
const launch = (action: string, summary: string) =>
  createRoute({
    method: 'post',
    path: `/v1/campaigns/{campaignId}/${action}`,
    operationId: `${action}Campaign`,
    tags: ['campaigns'],
    summary,
    request: {
      params: CampaignIdParam,
      body: { content: { 'application/json': { schema: LaunchBody } }, required: false },
    },
    responses: { 200: json(Campaign, 'done'), ...problems(400, 401, 404, 409, 422) },
  });

export const startSpec = launch('start', 'Run now (draft or scheduled)');
export const pauseSpec = transition(
  'pause',
  'Pause a running campaign, or a scheduled one (it keeps its schedule and fires nothing)',
);
export const resumeSpec = launch(
  'resume',
  'Resume a paused campaign: running again if paused during a run, else scheduled for its next slot after now',
);
export const cancelSpec = transition('cancel', 'Cancel a campaign that is not finished');

/** What a retry sends again when its body names no statuses (docs/design.md, rule 13). */
export const defaultRetryStatuses = ['failed', 'unknown'] as const;
/** At most this many error codes in one retry: an operator names a few of Meta's codes. */
export const MAX_RETRY_ERROR_CODES = 20;

const RetryStatuses = z.array(z.enum(messageStatus.enumValues).extract(defaultRetryStatuses));

export const RetryBody = z
  .object({
    statuses: RetryStatuses.min(1).optional().openapi({
      description:
        'which messages of the latest run go back to pending: both when omitted, `failed` when `errorCodes` is given',
    }),
    errorCodes: z
      .array(z.number().int().min(0).max(2_147_483_647))
      .min(1)
      .max(MAX_RETRY_ERROR_CODES)
      .optional()
      .openapi({
        description: `only the failed messages with one of these provider error codes (Meta's, e.g. 131049; at most ${MAX_RETRY_ERROR_CODES}); 131049 only once it failed 24 hours ago`,
        example: [131049],
      }),
  })
  .refine(
    (body) => !body.errorCodes || !body.statuses?.includes('unknown'),
    'errorCodes picks failed messages: an unknown one has no error code',
  )
  .openapi('RetryRequest');

export type RetryFilter = {
  statuses: z.infer<typeof RetryStatuses>;
  errorCodes?: number[];
};

/** What a retry's body asks for, its defaults filled in (also the audit event's detail). */
export function retryFilter(body: Partial<RetryFilter> | undefined): RetryFilter {
  if (body?.errorCodes)
    return { statuses: body.statuses ?? ['failed'], errorCodes: body.errorCodes };
  return { statuses: body?.statuses ?? [...defaultRetryStatuses] };
}

export const RetryResult = z
  .object({
    requeued: z.number().int(),
    runId: z.string(),
    waiting: z
      .array(
        z.object({
          errorCode: z.number().int(),
          messages: z.number().int().openapi({ description: 'how many were left failed' }),
          retryFrom: z.string().openapi({
            format: 'date-time',
            description: 'when the first of them may be retried',
          }),
          reason: z.string(),
        }),
      )
      .openapi({
        description:
          'failed messages the retry matched but left as they are, by error code, and why (131049: not 24 hours since they failed)',
      }),
  })
  .openapi('RetryResult');

export const retrySpec = createRoute({
  method: 'post',
  path: '/v1/campaigns/{campaignId}/retry',
  operationId: 'retryCampaign',
  tags: ['campaigns'],
  summary: 'Send failed and/or unknown messages of the latest run again, optionally by error code',
  request: {
    params: CampaignIdParam,
    body: { content: { 'application/json': { schema: RetryBody } }, required: false },
  },
  responses: {
    202: json(RetryResult, 'requeued'),
    ...problems(400, 401, 404, 409, 422),
  },
});

export const nextFiringsSpec = createRoute({
  method: 'get',
  path: '/v1/schedules/next',
  operationId: 'nextFirings',
  tags: ['campaigns'],
  summary:
    'When a schedule (`at`, or `cron` in `timezone`) would fire next, in words; checked as a campaign checks it',
  request: { query: NextFiringsQuery },
  responses: { 200: json(ScheduleFirings, 'its next firings'), ...problems(400, 401) },
});
