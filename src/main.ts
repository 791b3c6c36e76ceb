import 'reflect-metadata';
import { type INestApplicationContext, Logger } from '@nestjs/common';
import { createHttpApp, createWorkerContext } from './app.factory.js';
import { AppConfig, ConfigError, loadConfig, loadDotEnv } from './config/app-config.js';

/**
 * On SIGTERM or SIGINT Nest stops taking requests (503), lets the ones in flight finish, closes
 * the workers after their current jobs, then the connections. Past the grace period the process
 * exits anyway, so a stuck job cannot keep an old replica alive.
 */
function handleShutdown(app: INestApplicationContext, config: AppConfig): void {
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
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
  if (config.servesHttp) {
    const app = await createHttpApp(config);
    handleShutdown(app, config);
    await app.listen({ port: config.PORT, host: config.HOST });
    new Logger('Main').log(
      `Serving http://${config.HOST}:${config.PORT} as ${config.PROCESS_ROLE}`,
    );
  } else {
    handleShutdown(await createWorkerContext(config), config);
    new Logger('Main').log('Running workers only');
  }
}

main().catch((error: unknown) => {
  // The structured logger may not exist yet: say it plainly on stderr.
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
