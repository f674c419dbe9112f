import type { TemplateButton, TemplateHeader, TemplateSend } from '../provider/types';
import type { ComponentLayout } from './component-parameters';
import { parsePlaceholders, type Segment, trimBlank } from './placeholders';
import { parameterProblem } from './provider-rules';

export type TemplateForSend = {
  name: string;
  namespace: string;
  language: { code: string; policy: 'deterministic' | 'fallback' };
  /** The texts in order: a named template's values in the order of its names (orderedParameters). */
  parameters: string[];
  /** A named template's parameter names, in the order of `parameters`; none for a positional one. */
  parameterNames?: string[];
  /**
   * The header and buttons the last texts of `parameters` fill, after the body's
   * (component-parameters.ts's sendParameters); none for a template without them.
   */
  components?: ComponentLayout;
};

export type ContactForSend = { phone: string; attributes: Record<string, string> };

export type RenderResult =
  | { ok: true; params: string[] }
  | { ok: false; attribute?: string; reason: string };

export function missingReason(attribute: string): string {
  return `missing attribute "${attribute}"`;
}

/** The attribute a `missingReason` names (the reason itself if it is not one). */
export function attributeOfReason(reason: string): string {
  return /^missing attribute "(.*)"$/s.exec(reason)?.[1] ?? reason;
}

/**
 * An attribute's value: an own property of the contact's attributes, never one inherited from
 * Object.prototype (`{{constructor|friend}}` is the fallback, as in SQL's `->>`).
 */
function attributeValue(attributes: Record<string, string>, name: string): string {
  const value = Object.hasOwn(attributes, name) ? attributes[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/**
 * What each segment of a text renders to for a contact: its literal text, the attribute's value,
 * the placeholder's fallback (the attribute is missing or blank), or nothing (missing, without a
 * fallback). The send, the follow-up and the console's preview all read these pieces.
 */
export type RenderedPiece =
  | { kind: 'text'; text: string }
  | { kind: 'value' | 'fallback'; attribute: string; text: string }
  | { kind: 'missing'; attribute: string; text: '' };

export function renderPieces(
  segments: Segment[],
  attributes: Record<string, string>,
): RenderedPiece[] {
  return segments.map((segment): RenderedPiece => {
    if (segment.kind === 'text') return { kind: 'text', text: segment.text };
    const value = trimBlank(attributeValue(attributes, segment.name));
    if (value !== '') return { kind: 'value', attribute: segment.name, text: value };
    if (segment.fallback === undefined)
      return { kind: 'missing', attribute: segment.name, text: '' };
    return { kind: 'fallback', attribute: segment.name, text: segment.fallback };
  });
}

/**
 * Renders one parameter. A placeholder without a fallback whose attribute is missing or blank
 * makes the recipient skipped (a "Hello ," is a broken message); so does a parameter that renders
 * blank as a whole (WhatsApp refuses empty parameters), naming its first placeholder.
 */
function renderSegments(
  segments: Segment[],
  attributes: Record<string, string>,
): { ok: true; text: string } | { ok: false; attribute: string } {
  let text = '';
  let firstMissing: string | undefined;
  for (const piece of renderPieces(segments, attributes)) {
    if (piece.kind === 'missing') return { ok: false, attribute: piece.attribute };
    if (piece.kind === 'fallback') firstMissing ??= piece.attribute;
    text += piece.text;
  }
  if (trimBlank(text) === '') {
    return { ok: false, attribute: firstMissing ?? '(none)' };
  }
  return { ok: true, text };
}

/**
 * The rendered parameters for a contact, or why it cannot have them: the attribute whose
 * absence prevents them, or what `check` finds wrong with a rendered parameter (checked in
 * order, as the SQL of the snapshot does).
 */
export function renderParameters(
  parameters: string[],
  attributes: Record<string, string>,
  check?: (text: string, index: number) => string | undefined,
): RenderResult {
  const params: string[] = [];
  for (const parameter of parameters) {
    const parsed = parsePlaceholders(parameter);
    if (!parsed.ok) throw new Error(`template parameter does not parse: ${parsed.message}`);
    const rendered = renderSegments(parsed.segments, attributes);
    if (!rendered.ok) {
      return {
        ok: false,
        attribute: rendered.attribute,
        reason: missingReason(rendered.attribute),
      };
    }
    const problem = check?.(rendered.text, params.length);
    if (problem) return { ok: false, reason: problem };
    params.push(rendered.text);
  }
  return { ok: true, params };
}

/** A template's body parameters: rendered, then checked against WhatsApp's rules, as in SQL. */
export function renderTemplateParameters(
  parameters: string[],
  attributes: Record<string, string>,
  maxParameterChars: number,
): RenderResult {
  return renderParameters(parameters, attributes, (text, index) =>
    parameterProblem(text, index, maxParameterChars),
  );
}

/**
 * The send of a template with already rendered parameters (what a message row stores: texts in
 * order), in the domain's words; the provider translates it to its wire format. A named
 * template's texts are in the order of its names, so each gets its name back here (the Cloud
 * API's `parameter_name`); a positional one's fill `{{1}}`, `{{2}}`… in order.
 */
/**
 * Why a row's stored texts cannot be sent with the template as it is now, or null: the snapshot
 * rendered the body, header and button texts in one list, which templateSend splits by the
 * template's present layout; a layout changed since (a sync that dropped a button, header or
 * button values set before a retry) would shift every text into another slot.
 */
export function paramsMismatch(template: TemplateForSend, params: string[]): string | null {
  if (params.length === template.parameters.length) return null;
  return `the template's parameters changed since this message was rendered (${params.length} texts stored, ${template.parameters.length} wanted now): not sent, rather than with texts in the wrong places`;
}

export function templateSend(
  template: TemplateForSend,
  phone: string,
  params: string[],
): TemplateSend {
  const names = template.parameterNames;
  const layout = template.components;
  const extra = (layout?.header ? 1 : 0) + (layout?.buttons.length ?? 0);
  const bodyCount = Math.max(0, params.length - extra);
  const body = params.slice(0, bodyCount);
  let next = bodyCount;
  let header: TemplateHeader | undefined;
  if (layout?.header) {
    const text = params[next++] ?? '';
    const slot = layout.header;
    header =
      slot.format === 'text'
        ? { type: 'text', ...(slot.name ? { name: slot.name } : {}), text }
        : { type: slot.format, link: text };
  }
  const buttons: TemplateButton[] = (layout?.buttons ?? []).map((button) => ({
    ...button,
    value: params[next++] ?? '',
  }));
  const components = {
    ...(header ? { header } : {}),
    ...(buttons.length > 0 ? { buttons } : {}),
  };
  return {
    to: phone,
    template: {
      name: template.name,
      language: template.language.code,
      // a synced template has no namespace (the Cloud API has none): leave it out
      ...(template.namespace ? { namespace: template.namespace } : {}),
      policy: template.language.policy,
    },
    parameters: names
      ? {
          format: 'named',
          body: body.map((text, i) => ({ name: names[i], text })),
          ...components,
        }
      : { format: 'positional', body: body.map((text) => ({ text })), ...components },
  };
}

/**
 * Template and contact to the send, or the reason the contact is skipped: a missing attribute,
 * or a parameter WhatsApp would refuse (provider-rules.ts).
 */
export function renderTemplate(
  template: TemplateForSend,
  contact: ContactForSend,
  maxParameterChars: number,
): { ok: true; send: TemplateSend } | { ok: false; attribute?: string; reason: string } {
  const rendered = renderTemplateParameters(
    template.parameters,
    contact.attributes,
    maxParameterChars,
  );
  if (!rendered.ok) return rendered;
  return { ok: true, send: templateSend(template, contact.phone, rendered.params) };
}
