import { OpenAPIHono, z } from '@hono/zod-openapi';
import { validationError } from './problem';

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .openapi('Problem');

const descriptions: Record<number, string> = {
  400: 'Malformed request',
  401: 'Missing or wrong bearer token',
  403: "The caller's role may not do this",
  404: 'No such resource',
  408: 'The client sent nothing for the idle timeout',
  409: 'The resource is in a state that forbids this',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'The body breaks the schema',
  429: 'Too many of these requests in flight: try again after Retry-After',
  502: 'The provider failed',
};

/** The problem-document responses of a route, for its OpenAPI description. */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: descriptions[status] ?? 'Error',
        content: { 'application/problem+json': { schema: Problem } },
      },
    ]),
  );
}

/** A feature's router: its validation failures become problem documents. */
export function createRouter() {
  return new OpenAPIHono({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
}

/** A JSON response of a route, for its OpenAPI description. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
