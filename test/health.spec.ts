import { createUser } from './factories/users.js';
import { RedisServer, freePort } from './support/redis-server.js';
import { type TestApp, client, startTestApp } from './support/test-app.js';
import { waitFor } from './support/wait.js';

describe('health', () => {
  let redis: RedisServer;
  let t: TestApp;

  beforeAll(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
    t = await startTestApp({ env: { REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await t.close();
    await redis.stop();
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('should answer ready when PostgreSQL and Redis answer, and say the database is external and the queues on Redis', async () => {
    const response = await get('/health/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      details: {
        database: { status: 'up', kind: 'external' },
        queues: { status: 'up', backend: 'redis' },
      },
    });
  });

  it('should answer 503 at once while Redis is down, stay live, and recover without a restart', async () => {
    await redis.stop();

    const started = Date.now();
    const down = await get('/health/ready');
    const elapsed = Date.now() - started;
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'error', details: { queues: { status: 'down' } } });
    expect(elapsed).toBeLessThan(2_000);
    expect((await get('/health/live')).statusCode).toBe(200);

    // A request that enqueues work fails fast too, instead of hanging until Redis returns.
    const pm = await createUser(t.dataSource, { role: 'itu_pm' });
    const enqueueStarted = Date.now();
    const scan = await client(t, pm)('POST', '/api/v1/reminders/scan');
    expect(scan.statusCode).toBe(503);
    expect(scan.json().code).toBe('queue_unavailable');
    expect(Date.now() - enqueueStarted).toBeLessThan(2_000);

    await redis.start();
    await waitFor(
      'ready again',
      async () => (await get('/health/ready')).statusCode === 200,
      10_000,
    );
  });
});

describe('health with the queues in PostgreSQL (REDIS_URL unset)', () => {
  it('should answer ready and say the queues live in the database', async () => {
    const t = await startTestApp({ env: { REDIS_URL: '' } });
    try {
      const response = await t.app.inject({ method: 'GET', url: '/health/ready' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        status: 'ok',
        details: {
          database: { status: 'up', kind: 'external' },
          queues: { status: 'up', backend: 'postgres' },
        },
      });
    } finally {
      await t.close();
    }
  });
});
