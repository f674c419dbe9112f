import { describe, expect, it } from 'vitest';
import {
  bodyParameters,
  orderedParameters,
  parameterNames,
  parametersProblems,
} from './body-parameters';
import { paramsMismatch, templateSend } from './render';

const named = {
  parameterFormat: 'named' as const,
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Our sale' },
    { type: 'BODY', text: 'Hi {{first_name}}, {{ city }} has {{discount}} off, {{first_name}}!' },
  ],
};
const positional = {
  parameterFormat: 'positional' as const,
  components: [{ type: 'BODY', text: 'Hi {{1}}, see you in {{2}}.' }],
};
const manual = { parameterFormat: 'positional' as const, components: null };

describe('body parameters', () => {
  it('reads the names in their first order, and the highest position', () => {
    expect(bodyParameters(named)).toEqual({
      format: 'named',
      names: ['first_name', 'city', 'discount'],
    });
    expect(bodyParameters(positional)).toEqual({ format: 'positional', count: 2 });
    expect(bodyParameters(manual)).toBeUndefined();
    expect(bodyParameters({ ...positional, components: [{ type: 'FOOTER', text: 'x' }] })).toEqual({
      format: 'positional',
      count: 0,
    });
  });

  it('orders a named template’s values by the body, whatever the object’s key order', () => {
    const parameters = { discount: '20%', first_name: '{{name|there}}', city: '{{city}}' };
    expect(orderedParameters({ ...named, parameters })).toEqual([
      '{{name|there}}',
      '{{city}}',
      '20%',
    ]);
    expect(orderedParameters({ ...manual, parameters: ['a', 'b'] })).toEqual(['a', 'b']);
  });

  it('names what does not fit the body', () => {
    expect(parametersProblems(named, { first_name: 'a', city: 'b', discount: 'c' })).toEqual([]);
    expect(parametersProblems(named, { first_name: 'a', town: 'b', discount: 'c' })).toEqual([
      { path: 'parameters.city', message: 'is missing: the body names it' },
      {
        path: 'parameters.town',
        message: 'is not a parameter of the body ("first_name", "city", "discount")',
      },
    ]);
    expect(parametersProblems(named, ['a', 'b', 'c'])[0]?.path).toBe('parameters');
    expect(parametersProblems(positional, ['a'])).toEqual([
      { path: 'parameters', message: "the template's body has 2 parameters, 1 given" },
    ]);
    expect(parametersProblems(positional, { a: 'x' })[0]?.path).toBe('parameters');
    expect(parametersProblems(manual, ['a', 'b', 'c'])).toEqual([]);
    expect(parametersProblems(manual, { a: 'x' })[0]?.path).toBe('parameters');
  });

  it('gives each rendered text of a named template its name for the send', () => {
    const send = templateSend(
      {
        name: 'spring',
        namespace: '',
        language: { code: 'en', policy: 'deterministic' },
        parameters: [],
        parameterNames: parameterNames(named),
      },
      '+4915112345001',
      ['Anna', 'Berlin', '20%'],
    );
    expect(send.template).not.toHaveProperty('namespace');
    expect(send.parameters).toEqual({
      format: 'named',
      body: [
        { name: 'first_name', text: 'Anna' },
        { name: 'city', text: 'Berlin' },
        { name: 'discount', text: '20%' },
      ],
    });
  });
});

describe('paramsMismatch', () => {
  const template = {
    name: 'promo',
    namespace: 'ns',
    language: { code: 'en', policy: 'deterministic' as const },
    parameters: ['{{first_name}}', '{{code}}'],
  };
  it('passes texts as many as the template wants now', () => {
    expect(paramsMismatch(template, ['Ann', 'X1'])).toBeNull();
  });
  it('refuses texts rendered for another layout, saying so', () => {
    expect(paramsMismatch(template, ['Ann'])).toMatch(
      /^the template's parameters changed since this message was rendered \(1 texts stored, 2 wanted now\)/,
    );
  });
});
