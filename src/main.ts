import 'reflect-metadata';
import { type INestApplicationContext, Logger } from '@nestjs/common';
import { pino } from 'pino';
import { createHttpApp, createWorkerContext } from './app.factory.js';
import { AppConfig, ConfigError, loadConfig, loadDotEnv } from './config/app-config.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './database/embedded-database.js';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * On SIGTERM or SIGINT Nest stops taking requests (503), lets the ones in flight finish, closes
 * the workers after their current jobs, then the connections; the embedded PostgreSQL, if any,
 * stops last. Past the grace period the process exits anyway, so a stuck job cannot keep an old
 * replica alive.
 */
function handleShutdown(
  app: INestApplicationContext,
  config: AppConfig,
  database: EmbeddedDatabase | undefined,
): void {
  if (database) {
    // Nest's own hooks exit as soon as the app has closed, before PostgreSQL could stop.
    let closing = false;
    for (const signal of SHUTDOWN_SIGNALS) {
      process.on(signal, () => {
        if (closing) return;
        closing = true;
        app
          .close()
          .then(() => database.stop())
          .then(
            () => process.exit(0),
            (error: unknown) => {
              console.error('Shutdown failed:', error);
              process.exit(1);
            },
          );
      });
    }
  } else {
    app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
  }
  for (const signal of SHUTDOWN_SIGNALS) {
    process.once(signal, () => {
      setTimeout(() => {
        console.error(`Shutdown took longer than ${config.SHUTDOWN_GRACE_MS} ms; exiting`);
        process.exit(1);
      }, config.SHUTDOWN_GRACE_MS).unref();
    });
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  let database: EmbeddedDatabase | undefined;
  if (config.DATABASE_URL === undefined) {
    const logger = pino({ level: config.LOG_LEVEL }).child({ context: 'EmbeddedDatabase' });
    database = await startEmbeddedDatabase(config.DATA_DIR, logger);
    config.useEmbeddedDatabase(database.url);
  }
  try {
    if (config.servesHttp) {
      const app = await createHttpApp(config);
      handleShutdown(app, config, database);
      await app.listen({ port: config.PORT, host: config.HOST });
      new Logger('Main').log(
        `Serving http://${config.HOST}:${config.PORT} as ${config.PROCESS_ROLE}`,
      );
    } else {
      handleShutdown(await createWorkerContext(config), config, database);
      new Logger('Main').log('Running workers only');
    }
  } catch (error) {
    await database?.stop();
    throw error;
  }
}

main().catch((error: unknown) => {
  // The structured logger may not exist yet: say it plainly on stderr.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
