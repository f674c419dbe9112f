import { z } from '@hono/zod-openapi';
import { languagePolicy, templateCategory } from '../db/schema';
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
    parameters: z.array(z.string()),
    createdAt: z.string(),
  })
  .openapi('Template');
export type Template = z.infer<typeof Template>;

export const TemplatePage = Page(Template).openapi('TemplatePage');
export type TemplatePage = z.infer<typeof TemplatePage>;
