import { RedisServer, freePort } from './support/redis-server.js';
import { type TestApp, startTestApp } from './support/test-app.js';

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

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

  it('should answer ready when PostgreSQL and Redis answer', async () => {
    const response = await get('/health/ready');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('should answer 503 at once while Redis is down, stay live, and recover without a restart', async () => {
    await redis.stop();

    const started = Date.now();
    const down = await get('/health/ready');
    const elapsed = Date.now() - started;
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 'error', details: { redis: { status: 'down' } } });
    expect(elapsed).toBeLessThan(2_000);
    expect((await get('/health/live')).statusCode).toBe(200);

    await redis.start();
    const recovered = await waitFor(
      async () => (await get('/health/ready')).statusCode === 200,
      10_000,
    );
    expect(recovered).toBe(true);
  });
});
