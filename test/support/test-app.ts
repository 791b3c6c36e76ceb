import 'reflect-metadata';
import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { jest } from '@jest/globals';
import { createHttpApp } from '../../src/app.factory.js';
import { JwtService } from '@nestjs/jwt';
import { Clock } from '../../src/common/clock.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { deleteRedisKeys } from './redis-keys.js';
import { type TestDatabase, cloneTemplateDatabase, testConfig } from './test-database.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  database: TestDatabase;
  dataSource: DataSource;
  /**
   * An access token for this user, as login would issue it, on a new API session that never
   * expires: tests move the clock by months and keep their callers signed in. Session lifetimes
   * are tested through the real sign-in (test/sessions.spec.ts).
   */
  tokenFor(user: { id: string }): Promise<string>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Share another app's database (and queue prefix), as replicas of one deployment do. */
  database?: TestDatabase;
  /** Called with each route as Fastify registers it. */
  onRoute?: (route: { method: string | string[]; url: string }) => void;
}

/**
 * The real application on a database and a queue prefix of its own, so test files run in
 * parallel without touching each other or a developer's data.
 */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const ownsDatabase = !options.database;
  const database = options.database ?? (await cloneTemplateDatabase());
  const config = testConfig({
    DATABASE_URL: database.url,
    QUEUE_PREFIX: `t-${createHash('sha256').update(database.name).digest('hex').slice(0, 16)}`,
    NODE_ENV: 'test',
    // Workers run only where a test asks for them (PROCESS_ROLE: 'all').
    PROCESS_ROLE: 'api',
    ...options.env,
  });
  const app = await createHttpApp(config);
  if (options.onRoute) app.getHttpAdapter().getInstance().addHook('onRoute', options.onRoute);
  try {
    await app.init();
  } catch (error) {
    await app.close();
    throw error;
  }
  await app.getHttpAdapter().getInstance().ready();
  const jwt = app.get(JwtService);
  const dataSource = app.get<DataSource>(getDataSourceToken());
  return {
    app,
    config,
    database,
    dataSource,
    async tokenFor(user) {
      const [session] = await dataSource.query(
        `INSERT INTO auth_sessions (user_id, kind, expires_at) VALUES ($1, 'api', 'infinity') RETURNING id`,
        [user.id],
      );
      return jwt.sign({ sub: user.id, sid: session.id });
    },
    async close() {
      await app.close();
      if (ownsDatabase) {
        await database.drop();
        if (config.REDIS_URL) await deleteRedisKeys(config.REDIS_URL, config.QUEUE_PREFIX);
      }
    },
  };
}

/** `Authorization` header for a token. */
export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` };
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Requests as a user (or anonymously): `const as = client(t, user); await as('GET', url)`. */
export function client(t: TestApp, user?: { id: string }) {
  let token: Promise<string> | undefined;
  return async (method: HttpMethod, url: string, payload?: object) => {
    token ??= user ? t.tokenFor(user) : undefined;
    const headers = token ? bearer(await token) : {};
    return t.app.inject({ method, url, payload, headers });
  };
}

/** Moves the application's clock: the injected Clock answers `clock.current` from now on. */
export function controlClock(t: TestApp, start: string): { current: Date } {
  const clock = { current: new Date(start) };
  jest.spyOn(t.app.get(Clock), 'now').mockImplementation(() => new Date(clock.current));
  return clock;
}
