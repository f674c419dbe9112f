import { classifyCloudApiError } from './cloud-api-errors';
import { getCloudApiProfile, updateCloudApiProfile } from './cloud-api-profile';
import { listCloudApiTemplates, type TemplateCatalogue } from './cloud-api-templates';
import { type GraphAnswer, GraphClient, type GraphSettings, graphError } from './graph-client';
import {
  type Profile,
  type ProfileUpdate,
  type Provider,
  ProviderError,
  phoneDigits,
  type SendOutcome,
  type TemplateSend,
  type TextSend,
} from './types';

export type CloudApiConfig = GraphSettings & {
  /** The sending number's id at Meta (not the phone number itself). */
  phoneNumberId: string;
  /** The WhatsApp Business Account (WABA) that holds the number and the templates. */
  businessAccountId?: string;
};

/**
 * Meta's `components` of a template send (docs/providers.md): the header's parameter (a text,
 * or an image, video or document by its `link`), the body's (named ones with their
 * `parameter_name`), then one component per button with its `sub_type` and `index`. Empty when
 * the template takes no parameter.
 */
export function cloudApiComponents(parameters: TemplateSend['parameters']): object[] {
  const named = parameters.format === 'named';
  const components: object[] = [];
  const { header, buttons = [] } = parameters;
  if (header) {
    const parameter =
      header.type === 'text'
        ? {
            type: 'text',
            ...(named && header.name ? { parameter_name: header.name } : {}),
            text: header.text,
          }
        : { type: header.type, [header.type]: { link: header.link } };
    components.push({ type: 'header', parameters: [parameter] });
  }
  if (parameters.body.length > 0)
    components.push({
      type: 'body',
      parameters: parameters.body.map(({ name, text }) =>
        named ? { type: 'text', parameter_name: name, text } : { type: 'text', text },
      ),
    });
  for (const { index, subType, value } of buttons) {
    const parameter =
      subType === 'url'
        ? { type: 'text', text: value }
        : subType === 'copy_code'
          ? { type: 'coupon_code', coupon_code: value }
          : { type: 'payload', payload: value };
    // Meta's examples give the index as a string ("0")
    components.push({
      type: 'button',
      sub_type: subType,
      index: String(index),
      parameters: [parameter],
    });
  }
  return components;
}

/** The body of `POST {phoneNumberId}/messages` for a template (docs/providers.md). */
export function cloudApiTemplateBody(send: TemplateSend): object {
  const { template, parameters } = send;
  const components = cloudApiComponents(parameters);
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: phoneDigits(send.to),
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      ...(components.length > 0 ? { components } : {}),
    },
  };
}

/** The body of `POST {phoneNumberId}/messages` for a free-form text. */
export function cloudApiTextBody(send: TextSend): object {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: phoneDigits(send.to),
    type: 'text',
    text: { body: send.text },
  };
}

/**
 * The answer to a send: `messages[0].id` (a wamid) is accepted, also when Meta holds it for a
 * quality assessment (`message_status: "held_for_quality_assessment"`); an error is judged by
 * its code (cloud-api-errors.ts); a 2xx without an id cannot be known.
 */
export function classifyCloudApiAnswer(answer: GraphAnswer): SendOutcome {
  const { status, body, retryAfter } = answer;
  if (status >= 200 && status < 300) {
    const [message] = (body as { messages?: { id?: unknown }[] } | undefined)?.messages ?? [];
    const id = message?.id;
    if (typeof id === 'string' && id.length > 0 && id.length <= 512)
      return { kind: 'accepted', providerMessageId: id };
    return { kind: 'unknown', reason: 'the Graph API answered without a message id' };
  }
  const { code, title } = graphError(body);
  return classifyCloudApiError(code, title, status, retryAfter);
}

/**
 * Meta's WhatsApp Cloud API for one sending number: sends through
 * `{GRAPH_API_URL}/{version}/{phoneNumberId}/messages`, reads and updates the number's business
 * profile, and lists the business account's templates.
 */
export class CloudApiProvider implements Provider {
  readonly name = 'cloud-api';
  private readonly graph: GraphClient;

  constructor(private readonly config: CloudApiConfig) {
    this.graph = new GraphClient(config);
  }

  async sendTemplate(send: TemplateSend): Promise<SendOutcome> {
    const nameless = send.parameters.body.findIndex(({ name }) => !name);
    if (send.parameters.format === 'named' && nameless >= 0) {
      // Meta would refuse every recipient alike (132012): the template is the problem.
      return { kind: 'template', reason: `named parameter ${nameless + 1} has no name` };
    }
    return this.send(cloudApiTemplateBody(send));
  }

  sendMessage(send: TextSend): Promise<SendOutcome> {
    return this.send(cloudApiTextBody(send));
  }

  getProfile(): Promise<Profile> {
    return getCloudApiProfile(this.graph, this.config.phoneNumberId);
  }

  updateProfile(update: ProfileUpdate): Promise<void> {
    return updateCloudApiProfile(this.graph, this.config.phoneNumberId, update);
  }

  /** Every template of the business account (cloud-api-templates.ts); throws ProviderError. */
  async listTemplates(): Promise<TemplateCatalogue> {
    const { businessAccountId } = this.config;
    if (!businessAccountId)
      throw new ProviderError('no business account id: WHATSAPP_BUSINESS_ACCOUNT_ID is not set');
    return listCloudApiTemplates(this.graph, businessAccountId);
  }

  async close(): Promise<void> {}

  private async send(body: object): Promise<SendOutcome> {
    const url = this.graph.url(this.config.phoneNumberId, 'messages');
    const result = await this.graph.request('POST', url, body);
    if ('failure' in result) {
      const { kind, reason } = result.failure;
      return kind === 'retryable'
        ? { kind: 'retryable', reason, rateLimited: false }
        : { kind: 'unknown', reason };
    }
    const outcome = classifyCloudApiAnswer(result.answer);
    if (outcome.kind === 'accepted') return outcome;
    return {
      ...outcome,
      reason: this.graph.redact(outcome.reason),
      ...(outcome.error
        ? { error: { ...outcome.error, title: this.graph.redact(outcome.error.title) } }
        : {}),
    };
  }
}
