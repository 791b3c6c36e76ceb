import { Global, Module } from '@nestjs/common';
import { RateLimits } from '../common/throttling.js';
import { RateCounters } from './rate-counters.service.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

/** Global: the sign-in limiter and the route limits of several modules count here. */
@Global()
@Module({
  providers: [RateLimitsRepository, RateCounters, RateLimits],
  exports: [RateCounters, RateLimits],
})
export class RateLimitsModule {}
