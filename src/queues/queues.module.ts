import { BullModule, BullRegistrar } from '@nestjs/bullmq';
import { Injectable, Logger, Module, OnApplicationBootstrap, Optional } from '@nestjs/common';
import {
  type Processor,
  type QueueOptions,
  type RedisOptions,
  Worker,
  type WorkerOptions,
  createPostgresBackend,
  setDefaultBackendFactory,
} from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { QUEUE_SCHEMA } from '../database/prepare-database.js';
import { REDIS_CLIENT_OPTIONS } from './redis-options.js';
import { QueueName } from './queue-names.js';

/**
 * The options of a queue's workers that come from settings, which a `@Processor()` decorator,
 * evaluated when its class is loaded, cannot read.
 */
function workerSettings(config: AppConfig): Partial<Record<QueueName, Partial<WorkerOptions>>> {
  return { [QueueName.Notifications]: { concurrency: config.DELIVERY_CONCURRENCY } };
}

/**
 * The worker class of this process's settings. On Redis, its workers' commands wait for it to come back
 * instead of failing at once: BullMQ takes "Stream isn't writeable" for a job error rather than a
 * connection error and asks for the next job without pausing, so a worker that fails fast spins
 * on it and starves the event loop, its connection never comes back and the process stops
 * answering.
 */
function patientWorker(config: AppConfig): typeof Worker {
  const settings = workerSettings(config);
  return class PatientWorker extends Worker {
    constructor(name: string, processor: Processor, options: WorkerOptions) {
      super(name, processor, {
        ...options,
        ...settings[name as QueueName],
        connection:
          config.queueBackend === 'redis'
            ? {
                ...(options.connection as RedisOptions),
                enableOfflineQueue: true,
                maxRetriesPerRequest: null,
              }
            : options.connection,
      });
    }
  };
}

/** Connections per queue and worker to PostgreSQL, beside the one each keeps to listen. */
const QUEUE_POOL_SIZE = 2;

/**
 * Every queue's connection: Redis when REDIS_URL is set, else the database (the schema that
 * prepareDatabase migrated). @nestjs/bullmq takes no backend, so BullMQ's process-wide default
 * is set here, before any queue is made.
 */
function queueOptions(config: AppConfig): QueueOptions {
  if (config.queueBackend === 'redis') {
    return {
      connection: { url: config.REDIS_URL, ...REDIS_CLIENT_OPTIONS },
      prefix: config.QUEUE_PREFIX,
    };
  }
  setDefaultBackendFactory(createPostgresBackend);
  return {
    connection: {
      connectionString: config.databaseUrl,
      schema: QUEUE_SCHEMA,
      max: QUEUE_POOL_SIZE,
    } as unknown as QueueOptions['connection'],
    prefix: config.QUEUE_PREFIX,
  };
}

/** Starts the BullMQ workers only in processes whose PROCESS_ROLE runs them. */
@Injectable()
class WorkerStarter implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkerStarter.name);

  constructor(
    private readonly config: AppConfig,
    // Provided by BullModule once a feature module registers a queue.
    @Optional() private readonly registrar?: BullRegistrar,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.runsWorkers || !this.registrar) return;
    BullModule.workerClass = patientWorker(this.config);
    this.registrar.register();
    this.logger.log('Workers started');
  }
}

@Module({
  imports: [
    BullModule.forRootAsync({
      // The DataSource exists once prepareDatabase has run, BullMQ's schema included: no queue
      // is made before its tables are there.
      inject: [AppConfig, DataSource],
      useFactory: (config: AppConfig) => queueOptions(config),
      extraOptions: { manualRegistration: true },
    }),
  ],
  providers: [WorkerStarter],
})
export class QueuesModule {}
