import type { templates } from '../db/schema';
import type { FieldError } from '../errors';
import { orderedParameters } from './body-parameters';
import { parsePlaceholders } from './placeholders';

type TemplateRow = typeof templates.$inferSelect;

/**
 * How a synced template's header and buttons are filled per contact (docs/design.md, rule 33),
 * beside its body's `parameters`: the header's one value (a text header's variable, or a media
 * header's link) and the buttons' values by their index in the template's BUTTONS component
 * (a URL button's suffix, a copy-code button's code, a quick reply's payload). Each value is a
 * text with `{{attribute|fallback}}` placeholders, rendered per contact like the body's.
 */
export type ComponentParameters = TemplateRow['componentParameters'];

export type MediaFormat = 'image' | 'video' | 'document';
export type ButtonSubType = 'url' | 'copy_code' | 'quick_reply';

/** What a template's header takes: one text (its name for a named template), or a media link. */
export type HeaderSlot = { format: 'text'; name?: string } | { format: MediaFormat };

/**
 * A button that takes a value: a URL button whose url holds a variable (the suffix), a copy-code
 * button (the code), both required; a quick reply (its payload), optional: without one, Meta
 * sends the button's text back.
 */
export type ButtonSlot = { index: number; subType: ButtonSubType; required: boolean };

/** The header and buttons a synced template's components ask values for. */
export type ComponentSlots = { header?: HeaderSlot; buttons: ButtonSlot[] };

const VARIABLE = /\{\{\s*([a-z_][a-z0-9_]*|[0-9]{1,3})\s*\}\}/;
const MEDIA: readonly string[] = ['IMAGE', 'VIDEO', 'DOCUMENT'];

const upper = (value: unknown) => String(value ?? '').toUpperCase();

/**
 * The header and buttons of Meta's components that take values; none for a template made by
 * hand (no components). A LOCATION header, or a button of another kind (phone number, flow,
 * OTP), takes none from the service.
 */
export function componentSlots(
  template: Pick<TemplateRow, 'parameterFormat' | 'components'>,
): ComponentSlots {
  const slots: ComponentSlots = { buttons: [] };
  const components = template.components ?? [];
  const header = components.find((component) => upper(component.type) === 'HEADER');
  if (header) {
    const format = upper(header.format ?? 'TEXT');
    if (format === 'TEXT' && typeof header.text === 'string') {
      const variable = VARIABLE.exec(header.text)?.[1];
      if (variable !== undefined)
        slots.header =
          template.parameterFormat === 'named' && !/^[0-9]/.test(variable)
            ? { format: 'text', name: variable }
            : { format: 'text' };
    } else if (MEDIA.includes(format)) {
      slots.header = { format: format.toLowerCase() as MediaFormat };
    }
  }
  const buttons = components.find((component) => upper(component.type) === 'BUTTONS');
  const list = Array.isArray(buttons?.buttons)
    ? (buttons.buttons as Record<string, unknown>[])
    : [];
  list.forEach((button, index) => {
    const type = upper(button?.type);
    if (type === 'URL' && typeof button.url === 'string' && VARIABLE.test(button.url))
      slots.buttons.push({ index, subType: 'url', required: true });
    else if (type === 'COPY_CODE')
      slots.buttons.push({ index, subType: 'copy_code', required: true });
    else if (type === 'QUICK_REPLY')
      slots.buttons.push({ index, subType: 'quick_reply', required: false });
  });
  return slots;
}

/**
 * Why these values cannot fill this template's header and buttons, by path (`headerParameter`,
 * `buttonParameters.<i>`): a value for a header or button that takes none, a button given twice,
 * a media link that is not an http(s) URL. With `complete`, also a header or a required button
 * left without a value (what a campaign's start asks, as for the body). Empty when they fit.
 */
export function componentParametersProblems(
  template: Pick<TemplateRow, 'parameterFormat' | 'components'>,
  values: ComponentParameters,
  complete: boolean,
): FieldError[] {
  const slots = componentSlots(template);
  const problems: FieldError[] = [];
  const made = template.components === null;
  if (values.header !== undefined) {
    if (!slots.header)
      problems.push({
        path: 'headerParameter',
        message: made
          ? 'a template made by hand has no header the service fills'
          : "the template's header takes no parameter (no variable, no image, video or document)",
      });
    else if (slots.header.format !== 'text' && !looksLikeLink(values.header))
      problems.push({
        path: 'headerParameter',
        message: `the header is a ${slots.header.format}: give its link, an http(s) URL (placeholders allowed)`,
      });
  } else if (complete && slots.header) {
    problems.push({
      path: 'headerParameter',
      message:
        slots.header.format === 'text'
          ? "is missing: the template's header has a variable"
          : `is missing: the template's header is a ${slots.header.format}, give its link`,
    });
  }
  const seen = new Set<number>();
  (values.buttons ?? []).forEach(({ index }, i) => {
    const path = `buttonParameters.${i}`;
    if (seen.has(index)) problems.push({ path, message: `button ${index} is given twice` });
    seen.add(index);
    if (!slots.buttons.some((slot) => slot.index === index))
      problems.push({
        path,
        message: made
          ? 'a template made by hand has no buttons the service fills'
          : `button ${index} takes no parameter (${buttonWords(slots.buttons)})`,
      });
  });
  if (complete) {
    for (const slot of slots.buttons)
      if (slot.required && !seen.has(slot.index))
        problems.push({
          path: 'buttonParameters',
          message: `button ${slot.index} (${slot.subType}) is missing a value`,
        });
  }
  return problems;
}

function buttonWords(slots: ButtonSlot[]): string {
  return slots.length === 0
    ? 'none of its buttons does'
    : `those that do: ${slots.map((slot) => `${slot.index} (${slot.subType})`).join(', ')}`;
}

/** A link's text: an http(s) URL, or one that starts with a placeholder (per contact). */
function looksLikeLink(value: string): boolean {
  const parsed = parsePlaceholders(value);
  if (!parsed.ok) return false;
  const [first] = parsed.segments;
  if (first?.kind === 'attribute') return true;
  return /^https?:\/\/\S/i.test(value);
}

/** The header and buttons that have a value, in the order their texts follow the body's. */
export type ComponentLayout = {
  header?: HeaderSlot;
  buttons: { index: number; subType: ButtonSubType }[];
};

/** The values set, in send order: the header's, then the buttons' by index. */
function setValues(
  template: Pick<TemplateRow, 'parameterFormat' | 'components' | 'componentParameters'>,
): { layout: ComponentLayout; texts: string[] } {
  const slots = componentSlots(template);
  const values = template.componentParameters ?? {};
  const layout: ComponentLayout = { buttons: [] };
  const texts: string[] = [];
  if (slots.header && values.header !== undefined) {
    layout.header = slots.header;
    texts.push(values.header);
  }
  const buttons = [...(values.buttons ?? [])].sort((a, b) => a.index - b.index);
  for (const button of buttons) {
    const slot = slots.buttons.find((each) => each.index === button.index);
    if (!slot) continue; // Meta's buttons changed since: the campaign's start names it
    layout.buttons.push({ index: slot.index, subType: slot.subType });
    texts.push(button.value);
  }
  return { layout, texts };
}

/** Which header and buttons the texts after the body's fill (render.ts's templateSend). */
export function componentLayout(
  template: Pick<TemplateRow, 'parameterFormat' | 'components' | 'componentParameters'>,
): ComponentLayout {
  return setValues(template).layout;
}

/**
 * Every text a send of this template renders per contact, as a message row stores them
 * (`params`): the body's (orderedParameters), then the header's, then the buttons' by index.
 * The snapshot renders and checks them all alike.
 */
export function sendParameters(
  template: Pick<
    TemplateRow,
    'parameters' | 'parameterFormat' | 'components' | 'componentParameters'
  >,
): string[] {
  return [...orderedParameters(template), ...setValues(template).texts];
}
