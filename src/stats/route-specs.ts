import { createRoute, z } from '@hono/zod-openapi';
import { json, problems } from '../http/openapi';
import { PathId } from '../http/params';
import {
  MessagePage,
  MessagesQuery,
  Overview,
  OverviewQuery,
  Progress,
  Stats,
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
  responses: { 200: json(Stats, 'the figures'), ...problems(400, 401, 404) },
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
  summary: 'Sent, delivered, read, replied and failed across campaigns, in UTC buckets',
  request: { query: OverviewQuery },
  responses: { 200: json(Overview, 'totals and the series'), ...problems(400, 401) },
});
