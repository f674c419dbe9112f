import type { z } from '@hono/zod-openapi';
import { getContact } from '../contacts/contacts';
import type { AppContext } from '../context';
import type { FieldError } from '../errors';
import { orderedParameters } from './body-parameters';
import { getTemplate } from './get-templates';
import { parsePlaceholders } from './placeholders';
import type { RenderedText, TemplatePreview, TemplatePreviewRequest } from './preview-schemas';
import { parameterProblem, textMessageProblem } from './provider-rules';
import { renderParameters, renderPieces, renderTemplateParameters } from './render';
import { placeholderText, TemplateParameter } from './schemas';

const FollowUpText = placeholderText(4096);

/**
 * A template's parameters and a follow-up rendered for one contact, by the renderer of the sends
 * (render.ts), with what each part came from: the console's live preview. A text the template's
 * or the campaign's schema would refuse is answered with that schema's error. Writes nothing.
 */
export async function previewTemplate(
  ctx: AppContext,
  input: TemplatePreviewRequest,
): Promise<TemplatePreview> {
  const parameters =
    input.templateId === undefined
      ? (input.parameters ?? [])
      : orderedParameters(await getTemplate(ctx, input.templateId));
  const contact = input.contactId === undefined ? null : await getContact(ctx, input.contactId);
  const attributes = contact?.attributes ?? {};
  const maxChars = ctx.config.TEMPLATE_PARAMETER_MAX_CHARS;
  const errors: FieldError[] = [];
  const rendered = parameters.map((parameter, index) =>
    renderedText(
      parameter,
      attributes,
      TemplateParameter,
      (message) => errors.push({ path: `parameters.${index}`, message }),
      (text) => parameterProblem(text, index, maxChars),
    ),
  );
  const followUp =
    input.followUp === undefined
      ? null
      : renderedText(
          input.followUp,
          attributes,
          FollowUpText,
          (message) => errors.push({ path: 'followUp', message }),
          textMessageProblem,
        );
  const all = [...rendered, ...(followUp ? [followUp] : [])];
  const missing = all.flatMap((each) =>
    each.pieces.flatMap((piece) =>
      piece.kind === 'fallback' || piece.kind === 'missing' ? [piece.attribute ?? ''] : [],
    ),
  );
  const whole =
    errors.length === 0 ? renderTemplateParameters(parameters, attributes, maxChars) : undefined;
  return {
    contact: contact && { id: contact.id, phone: contact.phone },
    parameters: rendered,
    followUp,
    missing: [...new Set(missing)],
    errors,
    skipReason: whole && !whole.ok ? whole.reason : null,
  };
}

/** One text for the contact; when its schema refuses it, the refusal is its problem. */
function renderedText(
  source: string,
  attributes: Record<string, string>,
  schema: z.ZodType<string>,
  refused: (message: string) => void,
  check: (text: string) => string | undefined,
): RenderedText {
  const parsed = parsePlaceholders(source);
  const pieces = parsed.ok
    ? renderPieces(parsed.segments, attributes).map((piece) => ({
        kind: piece.kind,
        text: piece.text,
        attribute: piece.kind === 'text' ? null : piece.attribute,
      }))
    : [{ kind: 'text' as const, text: source, attribute: null }];
  const valid = schema.safeParse(source);
  if (!valid.success) {
    const message = valid.error.issues[0]?.message ?? 'is not valid';
    refused(message);
    return { text: null, pieces, problem: message };
  }
  const result = renderParameters([source], attributes, check);
  return {
    text: result.ok ? (result.params[0] ?? '') : null,
    pieces,
    problem: result.ok ? null : result.reason,
  };
}
