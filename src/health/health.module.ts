import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { QueueHealthIndicator } from './queue.health.js';
import { QueueName } from '../queues/queue-names.js';

@Module({
  imports: [
    TerminusModule.forRoot({ logger: false }),
    BullModule.registerQueue({ name: QueueName.Outbox }),
  ],
  controllers: [HealthController],
  providers: [QueueHealthIndicator],
})
export class HealthModule {}
