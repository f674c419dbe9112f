/**
 * The one error type the service raises on purpose. `app.onError` turns it into an RFC 9457
 * problem document; anything else is an internal error and answered 500 without details.
 */
export const errorStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  request_timeout: 408,
  conflict: 409,
  invalid_transition: 409,
  window_closed: 409,
  opted_out: 409,
  too_many_skips: 409,
  template_not_approved: 409,
  template_parameters_unset: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  too_many_requests: 429,
  internal: 500,
  provider_failed: 502,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** What the API names by id; a 404 names it so: `Campaign <id> does not exist`. */
export type Resource =
  | 'Campaign'
  | 'Run'
  | 'Template'
  | 'List'
  | 'Contact'
  | 'Import'
  | 'Message'
  | 'User'
  | 'Token'
  | 'Sender';

export type FieldError = { path: string; message: string };

const titles: Record<ErrorCode, string> = {
  bad_request: 'Bad request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  request_timeout: 'Request timeout',
  conflict: 'Conflict',
  invalid_transition: 'Invalid state transition',
  window_closed: 'Conversation window closed',
  opted_out: 'Phone opted out',
  too_many_skips: 'Too many recipients would be skipped',
  template_not_approved: 'Template not approved for this sender',
  template_parameters_unset: "Template's parameters not set",
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  validation_failed: 'Validation failed',
  too_many_requests: 'Too many requests',
  internal: 'Internal server error',
  provider_failed: 'Provider failure',
  unavailable: 'Service unavailable',
};

export class AppError extends Error {
  readonly status: number;
  /** Seconds after which the caller may try again, sent as `Retry-After` (a 429). */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    /** Overrides the code's default status where the contract says so (a 400 validation). */
    status?: number,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status ?? errorStatus[code];
  }

  static notFound(what: Resource, id: string): AppError {
    return new AppError('not_found', `${what} ${id} does not exist`);
  }

  static tooManyRequests(message: string, retryAfterSeconds: number): AppError {
    return Object.assign(new AppError('too_many_requests', message), { retryAfterSeconds });
  }
}

export type ProblemDocument = {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  errors?: FieldError[];
  requestId?: string;
};

export function toProblem(error: AppError, requestId?: string): ProblemDocument {
  return {
    type: `urn:wa-scheduler:problem:${error.code.replaceAll('_', '-')}`,
    title: titles[error.code],
    status: error.status,
    detail: error.message,
    code: error.code,
    ...(error.errors ? { errors: error.errors } : {}),
    ...(requestId ? { requestId } : {}),
  };
}
