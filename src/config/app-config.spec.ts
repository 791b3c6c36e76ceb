import { AppConfig, ConfigError, loadConfig } from './app-config.js';

describe(AppConfig.name, () => {
  it('should use the local defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe('./data');
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.queueBackend).toBe('postgres');
    expect(config.PORT).toBe(3000);
    expect(config.PROCESS_ROLE).toBe('all');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('should name the embedded database only once it has been started', () => {
    const config = loadConfig({});
    expect(() => config.databaseUrl).toThrow(/DATABASE_URL is unset/);
    config.useEmbeddedDatabase('postgres://postgres:secret@127.0.0.1:40000/cirt_tracker');
    expect(config).toMatchObject({
      databaseUrl: 'postgres://postgres:secret@127.0.0.1:40000/cirt_tracker',
      embeddedDatabase: true,
    });
    const external = loadConfig({ DATABASE_URL: 'postgres://db.example.org/cirt' });
    expect(external.databaseUrl).toBe('postgres://db.example.org/cirt');
    expect(external.embeddedDatabase).toBeUndefined();
  });

  it('should keep the queues on Redis when REDIS_URL is set, and in the database when it is empty', () => {
    expect(loadConfig({ REDIS_URL: 'redis://cache.example.org:6379' }).queueBackend).toBe('redis');
    expect(loadConfig({ REDIS_URL: '' }).queueBackend).toBe('postgres');
  });

  it('should convert numbers and treat empty values as unset', () => {
    const config = loadConfig({ PORT: '8080', LOG_LEVEL: '', DATABASE_POOL_SIZE: '4' });
    expect(config.PORT).toBe(8080);
    expect(config.DATABASE_POOL_SIZE).toBe(4);
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('should name every bad key in one error when several are wrong', () => {
    const load = () =>
      loadConfig({
        DATABASE_URL: 'nonsense',
        REDIS_URL: 'http://example.org',
        PORT: '70000',
        PROCESS_ROLE: 'both',
        LOG_LEVEL: 'loud',
      });
    expect(load).toThrow(ConfigError);
    try {
      load();
    } catch (error) {
      const message = (error as ConfigError).message;
      for (const key of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'PROCESS_ROLE', 'LOG_LEVEL']) {
        expect(message).toContain(key);
      }
      expect((error as ConfigError).problems).toHaveLength(5);
    }
  });

  it('should refuse a database URL without a database name', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432' })).toThrow(
      /DATABASE_URL/,
    );
  });

  it('should tell which roles serve HTTP and which run workers', () => {
    expect(loadConfig({ PROCESS_ROLE: 'api' })).toMatchObject({
      servesHttp: true,
      runsWorkers: false,
    });
    expect(loadConfig({ PROCESS_ROLE: 'worker' })).toMatchObject({
      servesHttp: false,
      runsWorkers: true,
    });
    expect(loadConfig({ PROCESS_ROLE: 'all' })).toMatchObject({
      servesHttp: true,
      runsWorkers: true,
    });
  });

  it('should refuse a JWT secret published in the sources, or shorter than 32 bytes, in any mode', () => {
    const published = 'development-only-secret-change-me-0123456789';
    for (const NODE_ENV of ['development', 'test', 'production']) {
      expect(() => loadConfig({ NODE_ENV, JWT_SECRET: published })).toThrow(
        /JWT_SECRET must be a secret of your own/,
      );
    }
    expect(() => loadConfig({ JWT_SECRET: 'too short' })).toThrow(/JWT_SECRET must be a secret/);
    // 31 bytes of text that is 16 characters long: the bound is in bytes, not characters.
    expect(() => loadConfig({ JWT_SECRET: 'é'.repeat(15) + 'x' })).toThrow(/JWT_SECRET/);
    const secret = 'a production secret that is long enough';
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).JWT_SECRET).toBe(secret);
  });

  it('should leave JWT_SECRET unset when none is given, so the service makes its own', () => {
    expect(loadConfig({}).JWT_SECRET).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'production' }).JWT_SECRET).toBeUndefined();
  });

  it('should read booleans and the first administrator', () => {
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
    expect(() => loadConfig({ ADMIN_EMAIL: 'root', ADMIN_PASSWORD: 'short' })).toThrow(
      /ADMIN_EMAIL[\s\S]*ADMIN_PASSWORD/,
    );
  });
});
