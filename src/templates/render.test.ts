import { describe, expect, it } from 'vitest';
import { chatApiTemplateBody } from '../provider/chat-api';
import { parsePlaceholders } from './placeholders';
import { renderParameters, renderTemplate, type TemplateForSend } from './render';

const template: TemplateForSend = {
  name: 'spring_sale',
  namespace: 'ns_123',
  language: { code: 'en', policy: 'deterministic' },
  parameters: ['{{first_name}}', 'Hi {{ first_name }}, {{discount|10}}% off in {{city|your city}}'],
};

describe('renderTemplate', () => {
  it('builds the send, which chat-api turns into the exact sendTemplate body, phone as digits only', () => {
    const result = renderTemplate(
      template,
      {
        phone: '+79995253422',
        attributes: { first_name: 'Anna', discount: '25', city: ' ' },
      },
      1024,
    );
    expect(result).toEqual({
      ok: true,
      send: {
        to: '+79995253422',
        template: {
          name: 'spring_sale',
          language: 'en',
          namespace: 'ns_123',
          policy: 'deterministic',
        },
        parameters: {
          format: 'positional',
          body: [{ text: 'Anna' }, { text: 'Hi Anna, 25% off in your city' }],
        },
      },
    });
    expect(result.ok && chatApiTemplateBody(result.send)).toEqual({
      phone: '79995253422',
      template: 'spring_sale',
      namespace: 'ns_123',
      language: { code: 'en', policy: 'deterministic' },
      params: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Anna' },
            { type: 'text', text: 'Hi Anna, 25% off in your city' },
          ],
        },
      ],
    });
  });

  it('omits params for a template without parameters', () => {
    const result = renderTemplate(
      { ...template, parameters: [], language: { code: 'de', policy: 'fallback' } },
      { phone: '+4915112345678', attributes: {} },
      1024,
    );
    expect(result.ok && chatApiTemplateBody(result.send)).toEqual({
      phone: '4915112345678',
      template: 'spring_sale',
      namespace: 'ns_123',
      language: { code: 'de', policy: 'fallback' },
    });
  });

  it('names the missing attribute of a placeholder without fallback, blank counting as missing', () => {
    const cases: Record<string, string>[] = [{}, { first_name: '' }, { first_name: ' \t' }];
    for (const attributes of cases) {
      expect(renderTemplate(template, { phone: '+1555', attributes }, 1024)).toEqual({
        ok: false,
        attribute: 'first_name',
        reason: 'missing attribute "first_name"',
      });
    }
  });

  it('skips a parameter that renders blank through an empty fallback', () => {
    const result = renderTemplate(
      { ...template, parameters: ['{{nickname|}}'] },
      { phone: '+1555', attributes: {} },
      1024,
    );
    expect(result).toMatchObject({ ok: false, reason: 'missing attribute "nickname"' });
  });

  it('reads own attributes only, never names of Object.prototype', () => {
    const parameters = ['{{constructor|friend}}', '{{toString|x}}{{__proto__|y}}'];
    expect(renderParameters(parameters, {})).toEqual({ ok: true, params: ['friend', 'xy'] });
    expect(renderParameters(parameters, JSON.parse('{"__proto__":"P","toString":"T"}'))).toEqual({
      ok: true,
      params: ['friend', 'TP'],
    });
    expect(renderParameters(['{{hasOwnProperty}}'], {})).toMatchObject({
      ok: false,
      reason: 'missing attribute "hasOwnProperty"',
    });
  });

  it('keeps literal braces that are not placeholders', () => {
    const result = renderTemplate(
      { ...template, parameters: ['{a} {{b|x}} {c}'] },
      { phone: '+1555', attributes: {} },
      1024,
    );
    expect(result.ok && result.send.parameters.body[0]?.text).toBe('{a} x {c}');
  });
});

describe('parsePlaceholders', () => {
  it('parses attributes, fallbacks (kept verbatim) and text', () => {
    expect(parsePlaceholders('Hi {{ name | dear customer }}!')).toEqual({
      ok: true,
      segments: [
        { kind: 'text', text: 'Hi ' },
        { kind: 'attribute', name: 'name', fallback: ' dear customer ' },
        { kind: 'text', text: '!' },
      ],
    });
  });

  it('refuses unclosed, stray, nested and nameless placeholders', () => {
    for (const bad of ['{{name', 'name}}', '{first}}', '{{a{{b}}}}', '{{}}', '{{ |x}}']) {
      expect(parsePlaceholders(bad).ok, bad).toBe(false);
    }
  });
});
