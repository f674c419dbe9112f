import { z } from 'zod';
import type { GraphClient } from './graph-client';
import { ProviderError } from './types';

/**
 * The most pages of 100 templates one listing reads: 10,000 templates, above the 6,000 Meta
 * lets one business account hold. A listing with more pages fails rather than answer a part
 * of the catalogue (a sync would take the rest for deleted).
 */
export const MAX_TEMPLATE_PAGES = 100;
export const TEMPLATE_PAGE_SIZE = 100;
const TEMPLATE_FIELDS = 'name,status,category,language,components,parameter_format,quality_score';

/** A template of the business account, in the domain's words (statuses lower-case). */
export type CloudTemplate = {
  id: string;
  name: string;
  language: string;
  /** approved, pending, rejected, paused, disabled, in_appeal, archived, deleted… */
  status: string;
  /** marketing, utility, authentication; null when Meta gives none. */
  category: string | null;
  parameterFormat: 'positional' | 'named';
  /** Meta's components as given (`[{type: "BODY", text: "Hi {{1}}"}, …]`). */
  components: Record<string, unknown>[];
  /** green, yellow, red, unknown; null when Meta gives none. */
  quality: string | null;
};

/** The catalogue, and how many entries could not be read (left out, counted). */
export type TemplateCatalogue = { templates: CloudTemplate[]; unreadable: number };

const word = (max: number) => z.string().min(1).max(max);

// Meta's template as `GET {wabaId}/message_templates` answers it; unknown fields are allowed.
const GraphTemplate = z.looseObject({
  id: z.union([word(64), z.number().int().nonnegative()]),
  name: word(512),
  language: word(32),
  status: word(64),
  category: word(64).optional(),
  parameter_format: word(32).optional(),
  components: z
    .array(z.looseObject({ type: word(64) }))
    .max(64)
    .optional(),
  quality_score: z.union([word(32), z.looseObject({ score: word(32) })]).optional(),
});

const GraphTemplatePage = z.looseObject({
  data: z.array(z.unknown()).max(TEMPLATE_PAGE_SIZE * 10),
  paging: z.looseObject({ next: z.string().max(8192).optional() }).optional(),
});

function toTemplate(entry: z.infer<typeof GraphTemplate>): CloudTemplate {
  const quality = entry.quality_score;
  return {
    id: String(entry.id),
    name: entry.name,
    language: entry.language,
    status: entry.status.toLowerCase(),
    category: entry.category?.toLowerCase() ?? null,
    // Meta's default: a template created without `parameter_format` is positional
    parameterFormat: entry.parameter_format?.toUpperCase() === 'NAMED' ? 'named' : 'positional',
    components: entry.components ?? [],
    quality: (typeof quality === 'string' ? quality : quality?.score)?.toLowerCase() ?? null,
  };
}

/**
 * Every template of the business account, page by page through `paging.next`, at most
 * MAX_TEMPLATE_PAGES. A `next` that leaves the Graph API's origin is refused: the bearer token
 * goes nowhere else.
 */
export async function listCloudApiTemplates(
  graph: GraphClient,
  businessAccountId: string,
): Promise<TemplateCatalogue> {
  const catalogue: TemplateCatalogue = { templates: [], unreadable: 0 };
  let url: string | undefined =
    `${graph.url(businessAccountId, 'message_templates')}?fields=${TEMPLATE_FIELDS}&limit=${TEMPLATE_PAGE_SIZE}`;
  for (let page = 1; url !== undefined; page++) {
    if (page > MAX_TEMPLATE_PAGES)
      throw new ProviderError(
        `the business account lists more than ${MAX_TEMPLATE_PAGES} pages of templates`,
      );
    const parsed = GraphTemplatePage.safeParse(await graph.call('GET', url));
    if (!parsed.success)
      throw new ProviderError(`page ${page} of the templates is not a list of templates`);
    for (const entry of parsed.data.data) {
      const template = GraphTemplate.safeParse(entry);
      if (template.success) catalogue.templates.push(toTemplate(template.data));
      else catalogue.unreadable++;
    }
    url = parsed.data.paging?.next;
    if (url !== undefined && !sameOrigin(url, graph.origin))
      throw new ProviderError('the Graph API pointed its next page of templates elsewhere');
  }
  return catalogue;
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
