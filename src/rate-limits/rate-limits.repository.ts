import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface Count {
  hits: number;
  secondsLeft: number;
}

@Injectable()
export class RateLimitsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Counts a hit in one atomic statement, however many arrive at once. The window starts at the
   * key's first hit, or at the first hit after its last window ended.
   */
  async hit(key: string, windowSeconds: number, now: Date): Promise<Count> {
    const [count] = await this.dataSource.query(
      `INSERT INTO rate_limit_counters AS c (key, hits, window_ends_at)
       VALUES ($1, 1, $2::timestamptz + make_interval(secs => $3))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.window_ends_at <= $2 THEN 1 ELSE c.hits + 1 END,
         window_ends_at = CASE WHEN c.window_ends_at <= $2 THEN excluded.window_ends_at
                               ELSE c.window_ends_at END
       RETURNING hits, extract(epoch FROM window_ends_at - $2::timestamptz)::float8 AS "secondsLeft"`,
      [key, now, windowSeconds],
    );
    return count;
  }

  /**
   * Takes a hit back, unless its window has ended meanwhile; the key's last hit takes its row
   * with it, so a request given back leaves the counters as they were.
   */
  async giveBack(key: string, now: Date): Promise<void> {
    // Two statements: in one, a hit committed between them would escape both the delete's and
    // the update's snapshot, and the hit given back would still count.
    const [rows] = await this.dataSource.query(
      `UPDATE rate_limit_counters SET hits = hits - 1
       WHERE key = $1 AND window_ends_at > $2 AND hits > 0
       RETURNING hits`,
      [key, now],
    );
    if (rows.length === 1 && rows[0].hits === 0) {
      await this.dataSource.query(`DELETE FROM rate_limit_counters WHERE key = $1 AND hits = 0`, [
        key,
      ]);
    }
  }

  async clear(key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limit_counters WHERE key = $1`, [key]);
  }

  async deleteEndedBefore(instant: Date): Promise<void> {
    await this.dataSource.query(`DELETE FROM rate_limit_counters WHERE window_ends_at < $1`, [
      instant,
    ]);
  }
}
