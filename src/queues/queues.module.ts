import { BullModule, BullRegistrar } from '@nestjs/bullmq';
import { Injectable, Logger, Module, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { type Processor, type RedisOptions, Worker, type WorkerOptions } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { REDIS_CLIENT_OPTIONS } from '../redis/redis-options.js';
import { QueueName } from './queue-names.js';

/**
 * The options of a queue's workers that come from settings, which a `@Processor()` decorator,
 * evaluated when its class is loaded, cannot read.
 */
function workerSettings(config: AppConfig): Partial<Record<QueueName, Partial<WorkerOptions>>> {
  return { [QueueName.Notifications]: { concurrency: config.DELIVERY_CONCURRENCY } };
}

/**
 * The worker class of this process's settings. Its workers' commands wait for Redis to come back
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
        connection: {
          ...(options.connection as RedisOptions),
          enableOfflineQueue: true,
          maxRetriesPerRequest: null,
        },
      });
    }
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
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.REDIS_URL, ...REDIS_CLIENT_OPTIONS },
        prefix: config.QUEUE_PREFIX,
      }),
      extraOptions: { manualRegistration: true },
    }),
  ],
  providers: [WorkerStarter],
})
export class QueuesModule {}
