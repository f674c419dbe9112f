import { pino } from 'pino';

export type Logger = pino.Logger;

/** JSON logs on stdout; every secret-bearing field is redacted wherever it appears. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'wa-scheduler' },
      redact: {
        paths: [
          '*.authorization',
          '*.token',
          '*.secret',
          '*.password',
          'apiToken',
          'webhookSecret',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
