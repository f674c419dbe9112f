import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../errors';
import { handleError } from '../http/problem';
import type { Logger } from '../logger';
import { Document } from './layout';

const headings: Record<number, string> = {
  401: 'Your session has ended',
  403: 'You cannot do this',
  404: 'Page not found',
  409: 'This cannot be done now',
  429: 'Too many requests',
};

/**
 * A console error as a page, in words, with the way on: an AppError's own message, anything
 * else logged and shown as a 500 without details (the API's handler does the logging).
 */
export function consoleError(error: Error, c: Context, logger: Logger) {
  if (!(error instanceof AppError)) {
    handleError(error, c, logger);
    return c.html(
      <ErrorPage status={500} message="Something went wrong on our side. Try again in a moment." />,
      500,
    );
  }
  return c.html(
    <ErrorPage status={error.status} message={error.message} />,
    error.status as ContentfulStatusCode,
  );
}

function ErrorPage(props: { status: number; message: string }) {
  return (
    <Document title={headings[props.status] ?? 'Error'}>
      <main id="main" class="sign-in">
        <h1>{headings[props.status] ?? 'Something went wrong'}</h1>
        <p>{props.message}</p>
        <p>
          {props.status === 401 ? (
            <a href="/sign-in">Sign in again</a>
          ) : (
            <a href="/">Back to the console</a>
          )}
        </p>
      </main>
    </Document>
  );
}
