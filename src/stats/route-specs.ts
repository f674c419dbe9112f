import { createRoute, z } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { PathId } from '../http/params';
import { ComparedPage, CompareQuery, Failures } from './period-schemas';

import {
  CampaignStats,
  MessagePage,
  MessagesQuery,
  Overview,
  OverviewQuery,
  PeriodQuery,
  Progress,
  SenderStats,
  SenderStatsQuery,
  StatsQuery,
} from './schemas';

const CampaignIdParam = PathId('campaignId');

export const statsSpec = createRoute({
  method: 'get',
  path: '/v1/campaigns/{campaignId}/stats',
  operationId: 'getCampaignStats',
  tags: ['stats'],
  summary: "A campaign's delivery and reply figures, or one run's",
  request: { params: CampaignIdParam, query: StatsQuery },
  responses: { 200: json(CampaignStats, 'the figures'), ...problems(400, 401, 404) },
});

export const progressSpec = createRoute({
  method: 'get',
  path: '/v1/campaigns/{campaignId}/progress',
  operationId: 'getCampaignProgress',
  tags: ['stats'],
  summary:
    'Where a campaign stands now: its latest run sent out of its audience, the current send rate and the time left',
  request: { params: CampaignIdParam },
  responses: { 200: json(Progress, 'the progress'), ...problems(401, 404) },
});

export const messagesSpec = createRoute({
  method: 'get',
  path: '/v1/campaigns/{campaignId}/messages',
  operationId: 'listCampaignMessages',
  tags: ['stats'],
  summary:
    "A campaign's messages in id order; `Accept: text/csv` (or `?format=csv`) streams all of them as CSV",
  description:
    "The CSV has the Message's columns, then `campaignName`, `replyText` (the text of the first reply attributed to the message, the one whose time is `repliedAt`) and one column per contact attribute, named `attr.<name>` (its current value; see `attributes`). CSV cells starting with =, +, -, @, tab or carriage return are prefixed with a single quote so that spreadsheets do not run them as formulas; E.164 phones (+…) are written with that quote too unless `phoneFormat` says otherwise. Past EXPORTS_MAX_CONCURRENT exports in flight, the CSV export is answered 429 with Retry-After.",
  request: { params: CampaignIdParam, query: MessagesQuery },
  responses: {
    200: {
      description: 'a page of messages, or the CSV export',
      content: {
        'application/json': { schema: MessagePage },
        'text/csv': { schema: z.string() },
      },
    },
    ...problems(400, 401, 404, 429),
  },
});

export const overviewSpec = createRoute({
  method: 'get',
  path: '/v1/stats/overview',
  operationId: 'getStatsOverview',
  tags: ['stats'],
  summary: 'Sent, delivered, read, replied and failed across campaigns, by hour or day',
  description:
    "Template messages, each event counted at its own timestamp, in the hours or days of `timezone` (UTC by default); counted by quarter hour, so the period answered is whole quarter hours (`from` back, `to` on to the quarter hour holding them). `byErrorCode`, `byPricingCategory` and `estimatedCost` are of the template messages sent in the period (`totals.sent` of them): those sent and then failed by Meta's code, those Meta priced by category; a message refused before it was sent is in the failure reasons, not here. A sender's figures: `GET /v1/senders/{senderId}/stats`.",
  request: { query: OverviewQuery },
  responses: { 200: json(Overview, 'totals and the series'), ...problems(400, 401) },
});

export const failuresSpec = createRoute({
  method: 'get',
  path: '/v1/stats/failures',
  operationId: 'getFailureReasons',
  tags: ['stats'],
  summary: 'Template messages that failed in a period, by reason',
  description:
    "Each failure counted at its `failedAt`, by the message's `error`; `failed` equals the overview's `failed` for the same period (whole quarter hours, like the overview).",
  request: { query: PeriodQuery },
  responses: { 200: json(Failures, 'the failures by reason'), ...problems(400, 401) },
});

export const compareSpec = createRoute({
  method: 'get',
  path: '/v1/stats/campaigns',
  operationId: 'compareCampaigns',
  tags: ['stats'],
  summary: 'The campaigns that were sending in a period, with their figures, ranked',
  description:
    'Every campaign with a run under way at some moment of the period (started before `to`, not finished before `from`), with the figures of `GET /v1/campaigns/{id}/stats` (the whole campaign, not only the period), ranked by `sort` then name. The cursor is an offset into the ranking: figures that move between two pages can show a campaign twice or skip it.',
  request: { query: CompareQuery },
  responses: { 200: json(ComparedPage, 'a page of the ranking'), ...problems(400, 401) },
});

export const senderStatsSpec = createRoute({
  method: 'get',
  path: '/v1/senders/{senderId}/stats',
  operationId: 'getSenderStats',
  tags: ['stats'],
  summary:
    'The template messages a sender sent in a period and what became of them, by error code and pricing category, with their estimated cost',
  description:
    "The period of the overview (whole quarter hours, `to` less 30 days by default). The messages are those with a `sentAt` in the period that went through the sender (the message's `senderId`); `delivered`, `read` and `failed` say what became of them since. A deleted sender still has its figures.",
  request: { params: PathId('senderId'), query: SenderStatsQuery },
  responses: { 200: json(SenderStats, "the sender's figures"), ...problems(400, 401, 404) },
});
