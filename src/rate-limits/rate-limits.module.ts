import { Global, Module } from '@nestjs/common';
import { RateCounters } from './rate-counters.service.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

/** Global: the sign-in limiter and the route limits of several modules count here. */
@Global()
@Module({
  providers: [RateLimitsRepository, RateCounters],
  exports: [RateCounters],
})
export class RateLimitsModule {}
