import { z } from '@hono/zod-openapi';
import {
  languagePolicy,
  parameterFormat,
  templateCategory,
  templateSource,
  templateStatus,
} from '../db/schema';
import { Page } from '../http/pagination';
import { parsePlaceholders, trimBlank } from './placeholders';
import { REFUSED, refusedCharacters } from './provider-rules';

/** Text with placeholders that parse, never blank text: a body parameter, a follow-up body. */
export const placeholderText = (maxLength: number) =>
  z
    .string()
    .max(maxLength)
    .superRefine((value, ctx) => {
      const parsed = parsePlaceholders(value);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', message: parsed.message });
        return;
      }
      const literal = parsed.segments.every((segment) => segment.kind === 'text');
      if (literal && trimBlank(value) === '') {
        ctx.addIssue({ code: 'custom', message: 'must not be blank' });
      }
    });

/** A body parameter: its own text (not what attributes bring) must be one WhatsApp takes. */
export const TemplateParameter = placeholderText(1024).superRefine((value, ctx) => {
  const parsed = parsePlaceholders(value);
  if (!parsed.ok) return;
  for (const segment of parsed.segments) {
    const what = refusedCharacters(
      segment.kind === 'text' ? segment.text : (segment.fallback ?? ''),
    );
    if (what) {
      ctx.addIssue({ code: 'custom', message: `holds ${what}, ${REFUSED}` });
      return;
    }
  }
});

export const Language = z.object({
  code: z.string().min(1).max(32),
  policy: z.enum(languagePolicy.enumValues).default('deterministic'),
});

/** A named template's parameter name, as Meta takes it: `first_name`. */
const ParameterName = z
  .string()
  .max(512)
  .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case name of letters, digits and underscores');

/**
 * How each body parameter is filled per contact (docs/design.md, rules 5 and 33): a list in order
 * (positional), or an object by name (a named template synced from Meta).
 */
export const TemplateParameters = z
  .union([
    z.array(TemplateParameter).max(100),
    z
      .record(ParameterName, TemplateParameter)
      .refine((values) => Object.keys(values).length <= 100, 'at most 100 parameters'),
  ])
  .openapi({
    description:
      'a list of texts for `{{1}}`, `{{2}}`… (positional), or an object of texts by parameter name (named: `{"first_name": "{{Name|there}}"}`); each text may hold `{{attribute}}` and `{{attribute|fallback}}` placeholders',
  });
export type TemplateParameters = z.infer<typeof TemplateParameters>;

/** A button's value: by its index among the template's buttons (from 0). */
export const ButtonParameter = z
  .strictObject({
    index: z.number().int().min(0).max(9).openapi({
      description: "the button's place in the template's BUTTONS component, from 0",
    }),
    value: TemplateParameter.openapi({
      description:
        "a URL button's suffix (what replaces `{{1}}` in its url), a copy-code button's code, or a quick reply's payload; may hold placeholders",
    }),
  })
  .openapi('ButtonParameter');

const HeaderParameter = TemplateParameter.nullable().openapi({
  description:
    "the header's value, for a synced template whose header has a variable (its text) or is an image, video or document (its link, an http(s) URL Meta can fetch); may hold placeholders. `null` removes it",
});

const ButtonParameters = z.array(ButtonParameter).max(10).openapi({
  description:
    "the values of the template's buttons that take one: each URL button whose url has a variable and each copy-code button (both required before a campaign starts), and optionally a quick reply's payload. Replaces the whole list; `[]` removes them",
});

/** A PATCH: what it leaves out stays as it is (`{}` changes nothing). */
export const UpdateTemplate = z
  .strictObject({
    parameters: TemplateParameters.optional(),
    headerParameter: HeaderParameter.optional(),
    buttonParameters: ButtonParameters.optional(),
  })
  .openapi('UpdateTemplate');
export type UpdateTemplate = z.infer<typeof UpdateTemplate>;

export const CreateTemplate = z
  .object({
    name: z.string().min(1).max(512),
    namespace: z.string().min(1).max(512),
    language: Language,
    category: z.enum(templateCategory.enumValues).optional(),
    parameters: z.array(TemplateParameter).max(100).optional(),
  })
  .openapi('CreateTemplate');
export type CreateTemplate = z.infer<typeof CreateTemplate>;

export const Template = z
  .object({
    id: z.string(),
    name: z.string(),
    namespace: z.string(),
    language: z.object({ code: z.string(), policy: z.enum(languagePolicy.enumValues) }),
    category: z.enum(templateCategory.enumValues).nullable(),
    parameters: z.union([z.array(z.string()), z.record(z.string(), z.string())]).openapi({
      description:
        'how each body parameter is filled per contact: a list in order (positional), an object by name (named). A synced template starts with none: set them with PATCH before a campaign can start with it',
    }),
    senderId: z.string().nullable().openapi({
      description: 'the sender whose business account it was read from; null for one made by hand',
    }),
    status: z.enum(templateStatus.enumValues).openapi({
      description: "Meta's review state; one made by hand is approved",
    }),
    parameterFormat: z.enum(parameterFormat.enumValues).openapi({
      description: 'positional ({{1}}, {{2}}…) or named ({{first_name}}) body parameters',
    }),
    components: z.array(z.record(z.string(), z.unknown())).nullable().openapi({
      description: "Meta's components (header, body, footer, buttons) of a synced template",
    }),
    headerParameter: z.string().nullable().openapi({
      description:
        "how the header's value is filled per contact (a text, or a media header's link); null when none is set",
    }),
    buttonParameters: z.array(z.object({ index: z.number().int(), value: z.string() })).openapi({
      description: "how the buttons' values are filled per contact, by button index",
    }),
    componentSlots: z
      .object({
        header: z
          .object({
            format: z.enum(['text', 'image', 'video', 'document']),
            name: z.string().optional(),
          })
          .nullable(),
        buttons: z.array(
          z.object({
            index: z.number().int(),
            subType: z.enum(['url', 'copy_code', 'quick_reply']),
            required: z.boolean(),
          }),
        ),
      })
      .openapi({
        description:
          "what the synced template's header and buttons ask values for (read from its components): the header's format (a text variable, or an image, video or document link), and each button that takes a value, with Meta's sub_type and whether a campaign needs it set. Empty for one made by hand",
      }),
    quality: z
      .string()
      .nullable()
      .openapi({ description: "Meta's quality rating, when it gave one" }),
    source: z.enum(templateSource.enumValues).openapi({
      description: 'manual: made through the API; synced: read from Meta',
    }),
    createdAt: z.string(),
  })
  .openapi('Template');
export type Template = z.infer<typeof Template>;

export const TemplateSync = z
  .object({
    synced: z.number().int().openapi({ description: "templates read from Meta's catalogue" }),
    added: z.number().int().openapi({ description: 'templates new to the service' }),
    updated: z
      .number()
      .int()
      .openapi({ description: 'templates whose status, category, body or quality changed' }),
    gone: z.number().int().openapi({
      description: 'templates Meta no longer lists, now `disabled` (kept, never deleted)',
    }),
    unreadable: z.number().int().openapi({
      description: "entries of Meta's list that could not be read, left out",
    }),
  })
  .openapi('TemplateSync');
export type TemplateSync = z.infer<typeof TemplateSync>;

export const TemplatePage = Page(Template).openapi('TemplatePage');
export type TemplatePage = z.infer<typeof TemplatePage>;
