import { BullModule, BullRegistrar } from '@nestjs/bullmq';
import { Injectable, Logger, Module, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { REDIS_CLIENT_OPTIONS } from '../redis/redis-options.js';

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
