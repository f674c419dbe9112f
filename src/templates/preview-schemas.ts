import { z } from '@hono/zod-openapi';

/**
 * POST /v1/templates/preview: a template's parameters (saved, or being written) and a campaign's
 * follow-up, rendered for one contact by the renderer the sends use. Texts are taken as they are
 * being typed: one that a template or a campaign would refuse (a placeholder half written) is
 * answered with its error, not refused, so a live preview can show it. Ids are opaque strings:
 * a malformed one is the same 404 as an unknown one.
 */
export const TemplatePreviewRequest = z
  .object({
    templateId: z.string().max(100).optional().openapi({
      description: 'a saved template whose parameters to render (or give `parameters`)',
    }),
    parameters: z.array(z.string().max(1024)).max(100).optional().openapi({
      description: 'the parameters of a template being written',
    }),
    followUp: z.string().max(4096).optional().openapi({
      description: "a campaign's follow-up body, rendered as its follow-up would be",
    }),
    contactId: z.string().max(100).optional().openapi({
      description: 'the contact to render for; without it, a contact with no attributes',
    }),
  })
  .superRefine((body, ctx) => {
    if (body.templateId !== undefined && body.parameters !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['parameters'],
        message: 'give either `templateId` or `parameters`, not both',
      });
  })
  .openapi('TemplatePreviewRequest');
export type TemplatePreviewRequest = z.infer<typeof TemplatePreviewRequest>;

const Piece = z
  .object({
    kind: z.enum(['text', 'value', 'fallback', 'missing']).openapi({
      description:
        "`text` the parameter's own text, `value` the contact's attribute, `fallback` the placeholder's fallback (the attribute is missing or blank), `missing` nothing (missing, without a fallback)",
    }),
    text: z.string(),
    attribute: z.string().nullable().openapi({ description: "the placeholder's attribute" }),
  })
  .openapi('RenderedPiece');

const RenderedText = z
  .object({
    text: z.string().nullable().openapi({
      description: 'the text sent to this contact; null when it cannot be sent (see `problem`)',
    }),
    pieces: z.array(Piece).openapi({ description: 'what each part of the text rendered from' }),
    problem: z.string().nullable().openapi({
      description:
        'why this text makes the contact skipped (a missing attribute, a text WhatsApp refuses), or null',
    }),
  })
  .openapi('RenderedText');

export const TemplatePreview = z
  .object({
    contact: z
      .object({ id: z.string(), phone: z.string() })
      .nullable()
      .openapi({ description: 'the contact rendered for; null: a contact with no attributes' }),
    parameters: z
      .array(RenderedText)
      .openapi({ description: "the template's body parameters in order: {{1}}, {{2}}…" }),
    followUp: RenderedText.nullable().openapi({ description: 'the follow-up, when given' }),
    missing: z.array(z.string()).openapi({
      description:
        'attributes this contact lacks (missing or blank) that a placeholder names: each used its fallback, or has none',
    }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).openapi({
      description:
        'what `POST /v1/templates` (for `parameters.N`) or a campaign (for `followUp`) would refuse in these texts, by path; empty when they would be taken',
    }),
    skipReason: z.string().nullable().openapi({
      description:
        "why a run would skip this contact, as its message's `error` would say; null: it would be sent, or `errors` is not empty (a follow-up that cannot be sent says so in its own `problem`)",
    }),
  })
  .openapi('TemplatePreview');
export type TemplatePreview = z.infer<typeof TemplatePreview>;
export type RenderedText = z.infer<typeof RenderedText>;
