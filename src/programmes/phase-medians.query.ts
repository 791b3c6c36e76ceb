import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { PhaseMedians } from './operation-projection.js';
import { completedPhasesSql } from './phase-durations.sql.js';
import type { Phase } from './programme.constants.js';

/** How long a process keeps the medians: they move when a phase ends, a few times a week. */
const KEEP_MS = 60_000;

/**
 * The median duration of each phase over the whole portfolio, globally and per region, for the
 * projected operation date. Every reader sees the same projection for a programme, so the medians
 * are not limited to the reader's scope. They are kept for a minute (and dropped at once when
 * this process ends a phase) so that the programme list does not sort the whole phase history on
 * every page; another replica's projections catch up within that minute.
 */
@Injectable()
export class PhaseMediansQuery {
  private kept: { medians: Promise<PhaseMedians>; until: number } | null = null;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  medians(): Promise<PhaseMedians> {
    if (!this.kept || this.kept.until < performance.now()) {
      const medians = this.read();
      this.kept = { medians, until: performance.now() + KEEP_MS };
      medians.catch(() => (this.kept = null));
    }
    return this.kept.medians;
  }

  /** A phase ended here: the next projection is computed afresh. */
  forget(): void {
    this.kept = null;
  }

  private async read(): Promise<PhaseMedians> {
    const rows: { regionCode: string | null; phase: Phase; medianDays: number; counted: number }[] =
      await this.dataSource.query(
        `SELECT region_code AS "regionCode", phase,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY days)::float AS "medianDays",
                count(*)::int AS counted
         FROM (${completedPhasesSql()}) completed
         GROUP BY GROUPING SETS ((region_code, phase), (phase))`,
      );
    const medians: PhaseMedians = { global: {}, byRegion: {} };
    for (const { regionCode, phase, medianDays, counted } of rows) {
      const into = regionCode === null ? medians.global : (medians.byRegion[regionCode] ??= {});
      into[phase] = { medianDays, counted };
    }
    return medians;
  }
}
