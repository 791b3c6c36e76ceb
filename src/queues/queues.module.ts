import { BullModule, BullRegistrar } from '@nestjs/bullmq';
import { Injectable, Logger, Module, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { type Processor, type RedisOptions, Worker, type WorkerOptions } from 'bullmq';
import { AppConfig } from '../config/app-config.js';
import { REDIS_CLIENT_OPTIONS } from '../redis/redis-options.js';

/**
 * A worker whose commands wait for Redis to come back instead of failing at once. BullMQ takes
 * "Stream isn't writeable" for a job error rather than a connection error and asks for the next
 * job without pausing: a worker that fails fast spins on it and starves the event loop, so that
 * its connection never comes back and the process stops answering.
 */
class PatientWorker extends Worker {
  constructor(name: string, processor: Processor, options: WorkerOptions) {
    super(name, processor, {
      ...options,
      connection: {
        ...(options.connection as RedisOptions),
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
      },
    });
  }
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
    BullModule.workerClass = PatientWorker;
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
