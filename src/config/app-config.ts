import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateBy,
  validateSync,
} from 'class-validator';
import { IsCronPattern } from '../common/validators.js';

export const PROCESS_ROLES = ['api', 'worker', 'all'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * The signing secret that .env.example and the sources once carried: public, so never accepted.
 * Without JWT_SECRET the service makes a random one of its own (src/auth/server-secrets.ts).
 */
const PUBLISHED_JWT_SECRET = 'development-only-secret-change-me-0123456789';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

function IsServiceUrl(protocols: string[], example: string) {
  return ValidateBy({
    name: 'isServiceUrl',
    validator: {
      validate(value: unknown) {
        if (typeof value !== 'string') return false;
        try {
          const url = new URL(value);
          return protocols.includes(url.protocol) && url.hostname !== '';
        } catch {
          return false;
        }
      },
      defaultMessage: (args) => `${args?.property} must be a URL such as ${example}`,
    },
  });
}

/**
 * Every setting the service reads, with its default. Property names are the environment
 * variable names so that an operator's error message and the code speak the same words.
 */
export class AppConfig {
  /**
   * An external PostgreSQL. Unset, the service runs its own in DATA_DIR
   * (src/database/embedded-database.ts), which fills this in at start.
   */
  @IsOptional()
  @IsServiceUrl(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/cirt_tracker')
  @Matches(/^[^?#]*\/[A-Za-z0-9_-]+([?#].*)?$/, {
    message: 'DATABASE_URL must name a database, for example .../cirt_tracker',
  })
  DATABASE_URL?: string = undefined;

  /** Where the embedded PostgreSQL keeps its data and password, when DATABASE_URL is unset. */
  @IsString()
  @Length(1, 1000)
  DATA_DIR = './data';

  /** Set at start when DATABASE_URL is the embedded PostgreSQL's; not read from the environment. */
  declare embeddedDatabase?: boolean;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  /**
   * Redis for the queues, the way to run several processes. Unset, the queues live in the
   * database, schema `bullmq` (BullMQ's PostgreSQL backend): one process, nothing else to run.
   */
  @IsOptional()
  @IsServiceUrl(['redis:', 'rediss:'], 'redis://127.0.0.1:6379')
  REDIS_URL?: string = undefined;

  @Matches(/^[a-z0-9_-]{1,40}$/, {
    message: 'QUEUE_PREFIX must be 1 to 40 characters of a-z, 0-9, _ or -',
  })
  QUEUE_PREFIX = 'cirt';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @Matches(/^[A-Za-z0-9.:[\]-]{1,255}$/, { message: 'HOST must be a host name or IP address' })
  HOST = '0.0.0.0';

  @IsIn(PROCESS_ROLES, { message: `PROCESS_ROLE must be one of ${PROCESS_ROLES.join(', ')}` })
  PROCESS_ROLE: ProcessRole = 'all';

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: LogLevel = 'info';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS = 10_000;

  @IsIn(NODE_ENVS, { message: `NODE_ENV must be one of ${NODE_ENVS.join(', ')}` })
  NODE_ENV: NodeEnv = 'development';

  /** Behind a load balancer, take the client address from X-Forwarded-For. */
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'TRUST_PROXY must be true or false' })
  TRUST_PROXY = false;

  /**
   * Signs access tokens. Unset, the service generates a random secret at first start and keeps it
   * in the database, so every replica and restart share it.
   */
  @IsOptional()
  @IsString()
  @ValidateBy({
    name: 'isStrongSecret',
    validator: {
      validate: (value) =>
        typeof value === 'string' &&
        Buffer.byteLength(value) >= 32 &&
        Buffer.byteLength(value) <= 512 &&
        value !== PUBLISHED_JWT_SECRET,
      defaultMessage: () =>
        'JWT_SECRET must be a secret of your own of 32 to 512 bytes, or unset to let the service make one',
    },
  })
  JWT_SECRET?: string = undefined;

  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(30 * 86_400)
  ACCESS_TOKEN_TTL_SECONDS = 12 * 3_600;

  /** A page session ends after this many minutes without a request (and in all after the token's lifetime). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  SESSION_IDLE_MINUTES = 30;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000)
  LOGIN_MAX_FAILURES = 10;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(86_400)
  LOGIN_FAILURE_WINDOW_SECONDS = 15 * 60;

  /** Where e-mail goes out; smtp:// or smtps://, with user and password in the URL if needed. */
  @IsServiceUrl(['smtp:', 'smtps:'], 'smtp://127.0.0.1:1025')
  SMTP_URL = 'smtp://127.0.0.1:1025';

  @IsString()
  @Length(3, 320)
  SMTP_FROM = 'cirt-tracker <no-reply@cirt-tracker.invalid>';

  /** The address people use to reach this service; links in messages point here. */
  @IsServiceUrl(['http:', 'https:'], 'https://cirt.example.org')
  PUBLIC_URL = 'http://localhost:3000';

  /** Lets webhooks reach loopback and private addresses: for tests and closed networks only. */
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'WEBHOOK_ALLOW_PRIVATE must be true or false' })
  WEBHOOK_ALLOW_PRIVATE = false;

  /** Delivery attempts of a notification before it is dead; the waits between grow exponentially. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  NOTIFICATION_MAX_ATTEMPTS = 6;

  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(3_600_000)
  NOTIFICATION_BACKOFF_MS = 30_000;

  /** How often pending notifications move to the delivery queue. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  OUTBOX_RELAY_INTERVAL_MS = 2_000;

  /**
   * Notifications each worker process sends at the same time, over as many SMTP connections (at
   * least 4). A worker that dies repeats at most this many messages (those it had in flight),
   * each of them once.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(64)
  DELIVERY_CONCURRENCY = 8;

  /** When the reminder scan runs (cron, UTC); one scan across all replicas. */
  @IsCronPattern()
  REMINDER_SCAN_CRON = '*/15 * * * *';

  /** When reminders may arrive, in each recipient's time zone: "Mon-Fri 09:00-17:00" or "always". */
  @Matches(/^(always|[A-Z][a-z]{2}(-[A-Z][a-z]{2})? \d{2}:\d{2}-\d{2}:\d{2})$/, {
    message: 'REMINDER_WORKING_HOURS must be like "Mon-Fri 09:00-17:00" or "always"',
  })
  REMINDER_WORKING_HOURS = 'Mon-Fri 09:00-17:00';

  /** Changes to the reminder ladders, as JSON rule by rule (see src/reminders/reminder-rules.ts). */
  @IsOptional()
  @IsString()
  REMINDER_RULES?: string = undefined;

  /** A folder of assessment templates to publish besides the built-in ones. */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  ASSESSMENT_TEMPLATES_DIR?: string = undefined;

  /** With ADMIN_PASSWORD: the first administrator, created when there are no users yet. */
  @IsOptional()
  @IsEmail({}, { message: 'ADMIN_EMAIL must be an e-mail address' })
  ADMIN_EMAIL?: string = undefined;

  @IsOptional()
  @Length(12, 256, { message: 'ADMIN_PASSWORD must be 12 to 256 characters' })
  ADMIN_PASSWORD?: string = undefined;

  /**
   * Domains whose addresses may receive scheduled reports besides registered users, comma-separated
   * (example.org,partner.int); empty: registered users only.
   */
  @Matches(/^$|^[a-z0-9.-]+\.[a-z]{2,63}(,[a-z0-9.-]+\.[a-z]{2,63})*$/i, {
    message:
      'REPORT_RECIPIENT_DOMAINS must be domains separated by commas, such as itu.int,example.org',
  })
  REPORT_RECIPIENT_DOMAINS = '';

  /** Reports (and their files) older than this many days are deleted by a daily job. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36_500)
  REPORT_RETENTION_DAYS = 365;

  /** Reports each user may ask for per minute (POST /reports), across all replicas. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  REPORT_REQUESTS_PER_MINUTE = 10;

  /** API tokens each user may create per hour (POST /auth/tokens), across all replicas. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  API_TOKENS_PER_HOUR = 10;

  get reportRecipientDomains(): string[] {
    return this.REPORT_RECIPIENT_DOMAINS.split(',')
      .map((domain) => domain.trim().toLowerCase())
      .filter((domain) => domain !== '');
  }

  /** The PostgreSQL to connect to: DATABASE_URL, or the embedded database's once it has started. */
  get databaseUrl(): string {
    if (this.DATABASE_URL === undefined) {
      throw new Error('DATABASE_URL is unset and the embedded database has not been started');
    }
    return this.DATABASE_URL;
  }

  /** Points the settings at the embedded PostgreSQL once it answers (DATABASE_URL was unset). */
  useEmbeddedDatabase(url: string): void {
    this.DATABASE_URL = url;
    this.embeddedDatabase = true;
  }

  /** Where the queues live: Redis when REDIS_URL is set, else the database. */
  get queueBackend(): 'redis' | 'postgres' {
    return this.REDIS_URL === undefined ? 'postgres' : 'redis';
  }

  get servesHttp(): boolean {
    return this.PROCESS_ROLE !== 'worker';
  }

  get runsWorkers(): boolean {
    return this.PROCESS_ROLE !== 'api';
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const KEYS = Object.keys(new AppConfig());

/** Reads and validates the settings; throws one ConfigError that lists every bad key. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const given = Object.fromEntries(
    KEYS.filter((key) => env[key] !== undefined && env[key] !== '').map((key) => [key, env[key]]),
  );
  const config = plainToInstance(AppConfig, given);
  const errors = validateSync(config);
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((error) => Object.values(error.constraints ?? {}).join('; ') || error.property),
    );
  }
  return config;
}

/** Loads a local `.env` file, if there is one, before the settings are read. */
export function loadDotEnv(path = '.env'): void {
  try {
    process.loadEnvFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
