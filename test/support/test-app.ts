import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { createHttpApp } from '../../src/app.factory.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { cloneTemplateDatabase, testConfig } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * The real application on a database and a queue prefix of its own, so test files run in
 * parallel without touching each other or a developer's data.
 */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const database = await cloneTemplateDatabase();
  const config = testConfig({
    DATABASE_URL: database.url,
    QUEUE_PREFIX: database.name.replace(/_/g, '-'),
    ...overrides,
  });
  const app = await createHttpApp(config);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return {
    app,
    config,
    dataSource: app.get<DataSource>(getDataSourceToken()),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
