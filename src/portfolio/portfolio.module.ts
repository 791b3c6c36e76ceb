import { Module } from '@nestjs/common';
import { LifecycleKpisQuery } from './lifecycle-kpis.query.js';
import { PortfolioController } from './portfolio.controller.js';

/** The portfolio's figures over time: a read model over programmes, phases and milestones. */
@Module({
  controllers: [PortfolioController],
  providers: [LifecycleKpisQuery],
  exports: [LifecycleKpisQuery],
})
export class PortfolioModule {}
