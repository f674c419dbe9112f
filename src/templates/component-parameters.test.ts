import { describe, expect, it } from 'vitest';
import { cloudApiTemplateBody } from '../provider/cloud-api';
import {
  componentLayout,
  componentParametersProblems,
  componentSlots,
  sendParameters,
} from './component-parameters';
import { templateSend } from './render';

const namedWithVideo = {
  parameterFormat: 'named' as const,
  components: [
    { type: 'HEADER', format: 'VIDEO' },
    { type: 'BODY', text: 'Hi {{first_name}}' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Yes' },
        { type: 'URL', text: 'Shop', url: 'https://shop.example/{{1}}' },
      ],
    },
  ],
  parameters: { first_name: '{{first_name}}' },
  componentParameters: {
    header: '{{video_url}}',
    buttons: [
      { index: 1, value: '{{sku}}' },
      { index: 0, value: 'yes' },
    ],
  },
};

const namedTextHeader = {
  parameterFormat: 'named' as const,
  components: [
    { type: 'header', format: 'text', text: 'Hello {{ first_name }}' },
    { type: 'BODY', text: 'Your order {{order_id}}' },
    { type: 'BUTTONS', buttons: [{ type: 'PHONE_NUMBER', text: 'Call', phone_number: '+1555' }] },
  ],
};

describe('header and button parameters', () => {
  it('reads what the header and buttons take from Meta’s components', () => {
    expect(componentSlots(namedWithVideo)).toEqual({
      header: { format: 'video' },
      buttons: [
        { index: 0, subType: 'quick_reply', required: false },
        { index: 1, subType: 'url', required: true },
      ],
    });
    expect(componentSlots(namedTextHeader)).toEqual({
      header: { format: 'text', name: 'first_name' },
      buttons: [],
    });
    const documentHeader = {
      parameterFormat: 'positional' as const,
      components: [
        { type: 'HEADER', format: 'DOCUMENT' },
        { type: 'BODY', text: 'x' },
      ],
    };
    expect(componentSlots(documentHeader).header).toEqual({ format: 'document' });
    const fixed = {
      parameterFormat: 'positional' as const,
      components: [
        { type: 'HEADER', format: 'TEXT', text: 'Sale' },
        { type: 'HEADER', format: 'LOCATION' },
        { type: 'BUTTONS', buttons: [{ type: 'URL', url: 'https://shop.example/' }] },
      ],
    };
    expect(componentSlots(fixed)).toEqual({ buttons: [] });
    expect(componentSlots({ parameterFormat: 'positional', components: null })).toEqual({
      buttons: [],
    });
  });

  it('names what is missing for a start, and what does not fit for a PATCH', () => {
    expect(componentParametersProblems(namedWithVideo, {}, false)).toEqual([]);
    expect(componentParametersProblems(namedWithVideo, {}, true)).toEqual([
      {
        path: 'headerParameter',
        message: "is missing: the template's header is a video, give its link",
      },
      { path: 'buttonParameters', message: 'button 1 (url) is missing a value' },
    ]);
    expect(
      componentParametersProblems(namedWithVideo, namedWithVideo.componentParameters, true),
    ).toEqual([]);
    expect(
      componentParametersProblems(
        { parameterFormat: 'positional', components: null },
        { header: 'x', buttons: [{ index: 0, value: 'y' }] },
        false,
      ).map((problem) => problem.message),
    ).toEqual([
      'a template made by hand has no header the service fills',
      'a template made by hand has no buttons the service fills',
    ]);
    expect(
      componentParametersProblems(namedWithVideo, { header: 'ftp://host/file.mp4' }, false),
    ).toHaveLength(1);
    expect(
      componentParametersProblems(namedWithVideo, { header: 'https://cdn.example/a.mp4' }, false),
    ).toEqual([]);
  });

  it('renders after the body, and goes to Meta as header, body and buttons by index', () => {
    expect(sendParameters(namedWithVideo)).toEqual([
      '{{first_name}}',
      '{{video_url}}',
      'yes',
      '{{sku}}',
    ]);
    const template = {
      name: 'video_promo',
      namespace: '',
      language: { code: 'en', policy: 'deterministic' as const },
      parameters: sendParameters(namedWithVideo),
      parameterNames: ['first_name'],
      components: componentLayout(namedWithVideo),
    };
    const send = templateSend(template, '+4915112345678', [
      'Anna',
      'https://cdn.example/a.mp4',
      'yes',
      'SKU-1',
    ]);
    expect(cloudApiTemplateBody(send)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '4915112345678',
      type: 'template',
      template: {
        name: 'video_promo',
        language: { code: 'en' },
        components: [
          {
            type: 'header',
            parameters: [{ type: 'video', video: { link: 'https://cdn.example/a.mp4' } }],
          },
          {
            type: 'body',
            parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Anna' }],
          },
          {
            type: 'button',
            sub_type: 'quick_reply',
            index: '0',
            parameters: [{ type: 'payload', payload: 'yes' }],
          },
          {
            type: 'button',
            sub_type: 'url',
            index: '1',
            parameters: [{ type: 'text', text: 'SKU-1' }],
          },
        ],
      },
    });
    // a named text header carries its name, as the body's parameters do
    const header = templateSend(
      {
        ...template,
        parameters: ['{{order}}', '{{first_name}}'],
        parameterNames: ['order_id'],
        components: { header: { format: 'text', name: 'first_name' }, buttons: [] },
      },
      '+4915112345678',
      ['A-1', 'Anna'],
    );
    expect(cloudApiTemplateBody(header)).toMatchObject({
      template: {
        components: [
          {
            type: 'header',
            parameters: [{ type: 'text', parameter_name: 'first_name', text: 'Anna' }],
          },
          { type: 'body', parameters: [{ type: 'text', parameter_name: 'order_id', text: 'A-1' }] },
        ],
      },
    });
  });
});
