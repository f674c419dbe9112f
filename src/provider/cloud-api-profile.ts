import type { GraphClient } from './graph-client';
import { type Profile, type ProfileUpdate, ProviderError } from './types';

/**
 * The business profile's verticals as the service names them (chat-api's, docs/design.md, rule
 * 26) and as Meta's `whatsapp_business_profile` codes them. Meta's `UNDEFINED` and the empty
 * string read as none.
 */
export const CLOUD_API_VERTICALS: Readonly<Record<string, string>> = {
  '': '',
  Automotive: 'AUTO',
  'Beauty, Spa and Salon': 'BEAUTY',
  'Clothing and Apparel': 'APPAREL',
  Education: 'EDU',
  Entertainment: 'ENTERTAIN',
  'Event Planning and Service': 'EVENT_PLAN',
  'Finance and Banking': 'FINANCE',
  'Food and Grocery': 'GROCERY',
  'Public Service': 'GOVT',
  'Hotel and Lodging': 'HOTEL',
  'Medical and Health': 'HEALTH',
  'Non-profit': 'NONPROFIT',
  'Professional Services': 'PROF_SERVICES',
  'Shopping and Retail': 'RETAIL',
  'Travel and Transportation': 'TRAVEL',
  Restaurant: 'RESTAURANT',
  Other: 'OTHER',
};

/** The fields read; `profile_picture_url` is left out (a signed URL, of no use to the API). */
const PROFILE_FIELDS = 'about,address,description,email,websites,vertical';

/** The label of Meta's vertical code; a code we do not know (e.g. `NOT_A_BIZ`) as it is. */
function verticalLabel(code: unknown): string {
  if (typeof code !== 'string' || code === 'UNDEFINED') return '';
  const label = Object.keys(CLOUD_API_VERTICALS).find((key) => CLOUD_API_VERTICALS[key] === code);
  return label ?? code;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** GET `{phoneNumberId}/whatsapp_business_profile`, onto the service's Profile fields. */
export async function getCloudApiProfile(
  graph: GraphClient,
  phoneNumberId: string,
): Promise<Profile> {
  const url = `${graph.url(phoneNumberId, 'whatsapp_business_profile')}?fields=${PROFILE_FIELDS}`;
  const answer = (await graph.call('GET', url)) as { data?: unknown };
  const [profile] = Array.isArray(answer.data) ? answer.data : [];
  if (typeof profile !== 'object' || profile === null)
    throw new ProviderError('the Graph API answered the business profile without one');
  const fields = profile as Record<string, unknown>;
  return {
    address: text(fields.address),
    description: text(fields.description),
    email: text(fields.email),
    vertical: verticalLabel(fields.vertical),
    about: text(fields.about),
    websites: Array.isArray(fields.websites)
      ? fields.websites.filter((w) => typeof w === 'string')
      : [],
  };
}

/** POST `{phoneNumberId}/whatsapp_business_profile`: Meta answers `{success: true}`. */
export async function updateCloudApiProfile(
  graph: GraphClient,
  phoneNumberId: string,
  update: ProfileUpdate,
): Promise<void> {
  const { vertical, ...rest } = update;
  const code = vertical === undefined ? undefined : CLOUD_API_VERTICALS[vertical];
  if (vertical !== undefined && code === undefined)
    throw new ProviderError(`the Cloud API has no vertical "${vertical.slice(0, 100)}"`);
  const body = {
    messaging_product: 'whatsapp',
    ...rest,
    ...(code !== undefined ? { vertical: code } : {}),
  };
  const answer = (await graph.call(
    'POST',
    graph.url(phoneNumberId, 'whatsapp_business_profile'),
    body,
  )) as {
    success?: unknown;
  };
  if (answer.success !== true)
    throw new ProviderError('the Graph API did not take the business profile');
}
