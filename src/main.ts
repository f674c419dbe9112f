import { ConfigError, loadConfig } from './config';
import { isClosedConnectionWrite } from './db/client';
import { createLogger } from './logger';
import { startService } from './service';

const config = (() => {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
})();

const logger = createLogger(config.LOG_LEVEL);

// A lost database connection must not end the process (see isClosedConnectionWrite); any other
// uncaught error still does, logged.
process.on('uncaughtException', (error) => {
  if (isClosedConnectionWrite(error)) {
    logger.warn({ err: error }, 'the database driver wrote to a lost connection; going on');
    return;
  }
  logger.fatal({ err: error }, 'uncaught error');
  process.exit(1);
});

const service = await startService(config, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'the service failed to start');
  process.exit(1);
});

/**
 * SIGTERM or SIGINT starts one graceful shutdown, bounded by SHUTDOWN_TIMEOUT_SECONDS. A second
 * signal does not cut it short: Ctrl-C under `npm start` arrives twice (from the terminal and
 * passed on by npm), and cutting it would leave the embedded PostgreSQL running.
 */
const stopping = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping.signal.aborted) {
      logger.info({ signal }, 'signal received; already stopping');
      return;
    }
    stopping.abort();
    logger.info({ signal }, 'signal received');
    // Every step of the shutdown is bounded; this is the backstop should one not be.
    setTimeout(
      () => {
        logger.error('the shutdown outlived SHUTDOWN_TIMEOUT_SECONDS; exiting now');
        process.exit(1);
      },
      config.SHUTDOWN_TIMEOUT_SECONDS * 1000 + 2000,
    ).unref();
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}
