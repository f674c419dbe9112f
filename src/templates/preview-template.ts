import { getContact } from '../contacts/contacts';
import type { AppContext } from '../context';
import { getTemplate } from './get-templates';
import { parsePlaceholders } from './placeholders';
import type { RenderedText, TemplatePreview, TemplatePreviewRequest } from './preview-schemas';
import { parameterProblem, textMessageProblem } from './provider-rules';
import { renderParameters, renderPieces, renderTemplateParameters } from './render';

/**
 * A template's parameters and a follow-up rendered for one contact, by the renderer of the sends
 * (render.ts), with what each part came from: the console's live preview. Writes nothing.
 */
export async function previewTemplate(
  ctx: AppContext,
  input: TemplatePreviewRequest,
): Promise<TemplatePreview> {
  const parameters =
    input.templateId === undefined
      ? (input.parameters ?? [])
      : (await getTemplate(ctx, input.templateId)).parameters;
  const contact = input.contactId === undefined ? null : await getContact(ctx, input.contactId);
  const attributes = contact?.attributes ?? {};
  const maxChars = ctx.config.TEMPLATE_PARAMETER_MAX_CHARS;
  const rendered = parameters.map((parameter, index) =>
    renderedText(parameter, attributes, (text) => parameterProblem(text, index, maxChars)),
  );
  const followUp =
    input.followUp === undefined
      ? null
      : renderedText(input.followUp, attributes, textMessageProblem);
  const all = [...rendered, ...(followUp ? [followUp] : [])];
  const missing = all.flatMap((each) =>
    each.pieces.flatMap((piece) =>
      piece.kind === 'fallback' || piece.kind === 'missing' ? [piece.attribute ?? ''] : [],
    ),
  );
  const whole = renderTemplateParameters(parameters, attributes, maxChars);
  return {
    contact: contact && { id: contact.id, phone: contact.phone },
    parameters: rendered,
    followUp,
    missing: [...new Set(missing)],
    skipReason: whole.ok ? null : whole.reason,
  };
}

function renderedText(
  source: string,
  attributes: Record<string, string>,
  check: (text: string) => string | undefined,
): RenderedText {
  const parsed = parsePlaceholders(source);
  if (!parsed.ok) throw new Error(`a validated text does not parse: ${parsed.message}`);
  const result = renderParameters([source], attributes, check);
  return {
    text: result.ok ? (result.params[0] ?? '') : null,
    pieces: renderPieces(parsed.segments, attributes).map((piece) => ({
      kind: piece.kind,
      text: piece.text,
      attribute: piece.kind === 'text' ? null : piece.attribute,
    })),
    problem: result.ok ? null : result.reason,
  };
}
