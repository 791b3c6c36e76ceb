import type { DataSource } from 'typeorm';

export interface PortfolioSize {
  programmes: number;
  milestonesPerProgramme?: number;
  /** Share of programmes with a validated readiness assessment, 0..1. */
  assessedShare?: number;
  statusUpdatesPerProgramme?: number;
}

/**
 * Fills a database with a synthetic portfolio using set-based SQL (a few statements whatever
 * the size): programmes spread over every country (a national and a government CIRT each, then
 * sectoral ones), in every phase, with milestones (some overdue), validated readiness assessments
 * with answers, status updates, the phase history that led each programme to its phase (every
 * earlier phase left through an approved transition, lasting 90 + 30 × its number days plus up to
 * 59 days more per programme) and a focal point per country. Values vary with the programme's
 * number, so two runs of the same size hold the same figures.
 */
export async function generatePortfolio(
  dataSource: DataSource,
  authorId: string,
  size: PortfolioSize,
): Promise<void> {
  const milestones = size.milestonesPerProgramme ?? 40;
  const assessedShare = size.assessedShare ?? 0.8;
  const statusUpdates = size.statusUpdatesPerProgramme ?? 3;
  await dataSource.transaction(async (manager) => {
    await manager.query(
      `WITH numbered AS (
         SELECT code, (row_number() OVER (ORDER BY code) - 1)::int AS i, count(*) OVER ()::int AS n FROM countries
       )
       INSERT INTO programmes (country_code, cirt_type, sector, title, phase, phase_entered_at, health,
                               health_updated_at, start_date, target_date)
       SELECT c.code,
              CASE g / c.n WHEN 0 THEN 'national' WHEN 1 THEN 'government' ELSE 'sectoral' END,
              CASE WHEN g / c.n >= 2 THEN 'Sector ' || (g / c.n - 1) END,
              'Synthetic CIRT ' || g,
              (ARRAY['readiness_assessment', 'planning', 'implementation', 'operation', 'maintenance'])[1 + (g * 7) % 5],
              now() - make_interval(days => (g * 37) % 400),
              (ARRAY['on_track', 'on_track', 'at_risk', 'off_track'])[1 + (g * 3) % 4],
              now() - make_interval(days => g % 30),
              current_date - (g * 37) % 400 - 30,
              current_date + 365
       FROM generate_series(0, $1::int - 1) AS g
       JOIN numbered c ON c.i = g % c.n`,
      [size.programmes],
    );
    await manager.query(
      `INSERT INTO milestones (programme_id, phase, title, due_date, status, completed_at, plan_key)
       SELECT p.id,
              (ARRAY['readiness_assessment', 'planning', 'implementation', 'operation', 'maintenance'])[1 + (k * 5) / $1],
              'Milestone ' || k,
              current_date + (k - $1 / 2) * 9 + (hashtext(p.id::text) % 7),
              CASE WHEN k < $1 / 3 THEN 'done' WHEN k % 11 = 0 THEN 'blocked' WHEN k % 3 = 0 THEN 'in_progress' ELSE 'planned' END,
              CASE WHEN k < $1 / 3 THEN now() - make_interval(days => $1 - k) END,
              'synthetic-' || k
       FROM programmes p CROSS JOIN generate_series(0, $1::int - 1) AS k`,
      [milestones],
    );
    const [{ assessed }] = await manager.query(
      `WITH assessed AS (
         INSERT INTO assessments (programme_id, template_key, template_version, kind, status, overall_score, band,
                                  created_by, submitted_at, validated_at, validated_by)
         SELECT p.id, t.key, t.version, 'readiness', 'validated', s.score,
                CASE WHEN s.score < 40 THEN 'not_ready' WHEN s.score < 60 THEN 'emerging'
                     WHEN s.score < 80 THEN 'conditionally_ready' ELSE 'ready' END,
                $1, now() - interval '20 days', now() - interval '10 days', $1
         FROM programmes p
         CROSS JOIN assessment_templates t
         CROSS JOIN LATERAL (SELECT (abs(hashtext(p.id::text)) % 1000) / 10.0 AS score) s
         WHERE t.key = 'itu-ncirt-readiness' AND t.version = '1.0.0'
           AND abs(hashtext(p.id::text || 'assessed')) % 1000 < $2::float * 1000
         RETURNING id
       )
       SELECT count(*)::int AS assessed FROM assessed`,
      [authorId, assessedShare],
    );
    if (assessed > 0) {
      await manager.query(
        `INSERT INTO assessment_responses (assessment_id, indicator_key, level, updated_by)
         SELECT a.id, indicator ->> 'key', abs(hashtext(a.id::text || (indicator ->> 'key'))) % 5, $1
         FROM assessments a
         JOIN assessment_templates t ON t.key = a.template_key AND t.version = a.template_version
         CROSS JOIN LATERAL jsonb_array_elements(t.content -> 'areas') AS area
         CROSS JOIN LATERAL jsonb_array_elements(area -> 'indicators') AS indicator
         WHERE NOT EXISTS (SELECT 1 FROM assessment_responses r WHERE r.assessment_id = a.id)`,
        [authorId],
      );
    }
    await manager.query(
      `WITH phases AS (SELECT ARRAY['readiness_assessment', 'planning', 'implementation', 'operation', 'maintenance'] AS names),
       history AS (
         SELECT p.id, i, names, abs(hashtext(p.id::text)) % 60 AS spread,
                p.phase_entered_at - make_interval(days => (
                  SELECT coalesce(sum(90 + 30 * j), 0)::int FROM generate_series(i + 1, array_position(names, p.phase) - 1) j
                ) + (array_position(names, p.phase) - 1 - i) * (abs(hashtext(p.id::text)) % 60)::int) AS left_at
         FROM programmes p CROSS JOIN phases
         CROSS JOIN LATERAL generate_series(1, array_position(names, p.phase) - 1) AS i
       )
       INSERT INTO phase_transitions (programme_id, from_phase, to_phase, direction, status, requested_by, requested_at,
                                      decided_by, decided_at, from_phase_entered_at)
       SELECT id, names[i], names[i + 1], 'forward', 'approved', $1, left_at - interval '2 days', $1, left_at,
              left_at - make_interval(days => 90 + 30 * i + spread)
       FROM history`,
      [authorId],
    );
    await manager.query(
      `INSERT INTO status_updates (programme_id, health, summary, author_id, created_at)
       SELECT p.id, (ARRAY['on_track', 'at_risk', 'off_track'])[1 + k % 3], 'Synthetic update ' || k, $1,
              now() - make_interval(days => k * 14)
       FROM programmes p CROSS JOIN generate_series(0, $2::int - 1) AS k`,
      [authorId, statusUpdates],
    );
    await manager.query(
      `INSERT INTO stakeholders (country_code, name, email, role)
       SELECT code, 'Focal point of ' || code, lower(code) || '.focal@example.org', 'national_focal_point'
       FROM countries
       ON CONFLICT DO NOTHING`,
    );
  });
  // As after any bulk load, and as autovacuum would do soon after: without fresh statistics the
  // planner takes the new tables for empty, and without the visibility map an index-only scan
  // still visits every table page.
  await dataSource.query('VACUUM ANALYZE');
}
