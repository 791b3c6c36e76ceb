import { carryAnswersForward, scoreAssessment } from './scoring.js';
import type { Answers, AssessmentTemplate } from './template.types.js';

function template(
  areas: AssessmentTemplate['areas'],
  previous?: AssessmentTemplate['previous'],
): AssessmentTemplate {
  return {
    key: 't',
    version: '1.0.0',
    kind: 'readiness',
    title: 'T',
    publishedAt: '2026-01-01',
    scale: {},
    areas,
    previous,
  };
}

const indicator = (key: string, critical = false) => ({ key, title: `Indicator ${key}`, critical });

/** Two areas: A (weight 1) with A1..A2, B (weight 3) with B1..B2. */
const TWO_AREAS = template([
  { key: 'A', title: 'Area A', weight: 1, indicators: [indicator('A1'), indicator('A2')] },
  { key: 'B', title: 'Area B', weight: 3, indicators: [indicator('B1'), indicator('B2')] },
]);

const answers = (entries: Record<string, number | null>): Answers =>
  new Map(Object.entries(entries));

describe(scoreAssessment.name, () => {
  it('should score 0 and not ready when every indicator is at level 0', () => {
    const score = scoreAssessment(TWO_AREAS, answers({ A1: 0, A2: 0, B1: 0, B2: 0 }));
    expect(score).toMatchObject({ overall: 0, band: 'not_ready', capped: false });
    expect(score.areas.map((area) => area.score)).toEqual([0, 0]);
    expect(score.gaps.map((gap) => gap.indicatorKey)).toEqual(['B1', 'B2', 'A1', 'A2']);
  });

  it('should score 100 and ready with no gaps when every indicator is at level 4', () => {
    expect(scoreAssessment(TWO_AREAS, answers({ A1: 4, A2: 4, B1: 4, B2: 4 }))).toEqual({
      overall: 100,
      band: 'ready',
      capped: false,
      areas: [
        { key: 'A', title: 'Area A', score: 100 },
        { key: 'B', title: 'Area B', score: 100 },
      ],
      gaps: [],
    });
  });

  it('should leave N/A answers out of the area mean', () => {
    // A: only A1 counts: 2/4 = 50. B: (4+2)/2 = 3 -> 75. Overall (50*1 + 75*3)/4 = 68.75 -> 68.8
    const score = scoreAssessment(TWO_AREAS, answers({ A1: 2, A2: null, B1: 4, B2: 2 }));
    expect(score.areas.map((area) => area.score)).toEqual([50, 75]);
    expect(score.overall).toBe(68.8);
    expect(score.band).toBe('conditionally_ready');
  });

  it('should weigh areas unequally when the template says so', () => {
    // A = 100 (weight 1), B = 25 (weight 3): (100 + 75) / 4 = 43.75 -> 43.8, emerging
    const score = scoreAssessment(TWO_AREAS, answers({ A1: 4, A2: 4, B1: 1, B2: 1 }));
    expect(score.overall).toBe(43.8);
    expect(score.band).toBe('emerging');
  });

  it('should cap a score of 80 at conditionally ready when a critical indicator is at 2', () => {
    const critical = template([
      {
        key: 'A',
        title: 'Area A',
        weight: 1,
        indicators: [
          indicator('A1', true),
          indicator('A2'),
          indicator('A3'),
          indicator('A4'),
          indicator('A5'),
        ],
      },
    ]);
    // (2 + 4 + 4 + 3 + 3) / 5 = 3.2 -> 80
    const score = scoreAssessment(critical, answers({ A1: 2, A2: 4, A3: 4, A4: 3, A5: 3 }));
    expect(score).toMatchObject({ overall: 80, band: 'conditionally_ready', capped: true });
    expect(score.gaps).toEqual([
      { indicatorKey: 'A1', title: 'Indicator A1', level: 2, critical: true },
    ]);
  });

  it('should not report a cap below ready, where it changes nothing', () => {
    const critical = template([
      { key: 'A', title: 'A', weight: 1, indicators: [indicator('A1', true), indicator('A2')] },
    ]);
    expect(scoreAssessment(critical, answers({ A1: 0, A2: 4 }))).toMatchObject({
      overall: 50,
      capped: false,
    });
  });

  it('should leave an area with no answered indicator out of the overall score', () => {
    const score = scoreAssessment(TWO_AREAS, answers({ A1: 3, A2: 3, B1: null, B2: null }));
    expect(score.areas).toEqual([
      { key: 'A', title: 'Area A', score: 75 },
      { key: 'B', title: 'Area B', score: null },
    ]);
    expect(score).toMatchObject({ overall: 75, band: 'ready' });
    expect(scoreAssessment(TWO_AREAS, answers({}))).toMatchObject({ overall: null, band: null });
  });

  it('should list gaps critical first, then by area weight, then in questionnaire order', () => {
    const mixed = template([
      { key: 'A', title: 'A', weight: 1, indicators: [indicator('A1'), indicator('A2', true)] },
      { key: 'B', title: 'B', weight: 2, indicators: [indicator('B1'), indicator('B2')] },
    ]);
    const score = scoreAssessment(mixed, answers({ A1: 1, A2: 2, B1: 0, B2: 3 }));
    expect(score.gaps.map((gap) => gap.indicatorKey)).toEqual(['A2', 'B1', 'A1']);
  });
});

describe(carryAnswersForward.name, () => {
  it('should carry levels through same, split, merged and retired indicators', () => {
    const next = template(
      [
        {
          key: 'A',
          title: 'A',
          weight: 1,
          indicators: ['X1', 'S1', 'S2', 'M1', 'N1'].map((key) => indicator(key)),
        },
      ],
      {
        version: '1.0.0',
        mapping: [
          { type: 'same', from: ['A1'], to: ['X1'] },
          { type: 'split', from: ['A2'], to: ['S1', 'S2'] },
          { type: 'merged', from: ['A3', 'A4'], to: ['M1'] },
          { type: 'retired', from: ['A5'], to: [] },
        ],
      },
    );
    const carried = carryAnswersForward(next, answers({ A1: 1, A2: 3, A3: 2, A4: 4, A5: 0 }));
    expect(Object.fromEntries(carried)).toEqual({ X1: 1, S1: 3, S2: 3, M1: 3 });
  });
});
