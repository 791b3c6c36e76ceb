import { createHash } from 'node:crypto';
import { REGION_CODES } from '../countries/regions.js';
import {
  type CirtType,
  type Health,
  PHASES,
  type Phase,
} from '../programmes/programme.constants.js';

export interface DemoCountry {
  code: string;
  name: string;
  regionCode: string;
  timezone: string;
}

/** One programme's past and present, which the loader replays through the services. */
export interface ProgrammeStory {
  country: DemoCountry;
  cirtType: CirtType;
  sector?: string;
  title: string;
  phase: Phase;
  /** How many days each earlier phase took, oldest first. */
  pastPhaseDays: number[];
  daysInPhase: number;
  health: Health;
  lastUpdateDaysAgo: number;
  /** In readiness assessment: how far the readiness questionnaire has come. */
  readiness?: 'draft' | 'submitted' | 'validated';
  /** A forward move requested by this demo user, waiting for someone else's decision. */
  pendingBy?: 'pm' | 'admin';
}

type Told = Pick<ProgrammeStory, 'phase' | 'daysInPhase' | 'health' | 'readiness' | 'pendingBy'>;

/**
 * Stories told the same way in every demo: Kenya's team is filling in its questionnaire (the
 * national_team user works for Kenya), Ghana and Jamaica wait for a decision on their next phase.
 * They come first in their region, so a demo of seven countries or more has all three.
 */
const FEATURED: Record<string, Told> = {
  KE: { phase: 'readiness_assessment', daysInPhase: 28, health: 'on_track', readiness: 'draft' },
  GH: {
    phase: 'readiness_assessment',
    daysInPhase: 150,
    health: 'on_track',
    readiness: 'validated',
    pendingBy: 'pm',
  },
  JM: { phase: 'planning', daysInPhase: 165, health: 'on_track', pendingBy: 'admin' },
};

/** How many days a phase lasts in the demo: longer than its default plan, so every milestone fits. */
const PHASE_DAYS: Record<Phase, [number, number]> = {
  readiness_assessment: [130, 210],
  planning: [160, 250],
  implementation: [310, 420],
  operation: [370, 480],
  maintenance: [60, 720],
};

const HEALTH_MIX: Health[] = [
  'on_track',
  'on_track',
  'at_risk',
  'on_track',
  'off_track',
  'on_track',
  'at_risk',
];
const SECTORS = ['energy', 'finance', 'health', 'telecommunications'];

/** A number from a text, the same in every run: the demo's varied choices are repeatable. */
function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** A number in [min, max] that varies from one programme to the next, the same in every run. */
function spread(seed: number, [min, max]: [number, number]): number {
  return min + ((seed * 53) % (max - min + 1));
}

/**
 * Takes the regions in turn, so that any count covers every region; in each, the featured
 * countries come first, then the others in an order that is mixed but the same in every run.
 */
export function pickCountries(countries: DemoCountry[], count: number): DemoCountry[] {
  const byRegion = REGION_CODES.map((region) =>
    countries
      .filter((country) => country.regionCode === region)
      .sort(
        (a, b) =>
          Number(b.code in FEATURED) - Number(a.code in FEATURED) || hash(a.code) - hash(b.code),
      ),
  );
  const picked: DemoCountry[] = [];
  for (let round = 0; picked.length < count; round += 1) {
    for (const region of byRegion) {
      if (region[round] && picked.length < count) picked.push(region[round]);
    }
  }
  return picked;
}

function story(country: DemoCountry, seed: number, told: Partial<Told>): ProgrammeStory {
  const phase = told.phase ?? PHASES[seed % PHASES.length];
  const daysInPhase = told.daysInPhase ?? spread(seed, [10, PHASE_DAYS[phase][1]]);
  return {
    country,
    cirtType: 'national',
    title: `${country.name} national CIRT`,
    phase,
    pastPhaseDays: PHASES.slice(0, PHASES.indexOf(phase)).map((past, k) =>
      spread(seed + 7 * k + 3, PHASE_DAYS[past]),
    ),
    daysInPhase,
    health: HEALTH_MIX[seed % HEALTH_MIX.length],
    lastUpdateDaysAgo: Math.min((seed * 7) % 45, daysInPhase - 8),
    readiness:
      phase !== 'readiness_assessment'
        ? undefined
        : daysInPhase > 35
          ? 'submitted'
          : daysInPhase > 20
            ? 'draft'
            : undefined,
    ...told,
  };
}

/** A national programme per country, and a government or sectoral one in every seventh. */
export function planStories(countries: DemoCountry[]): ProgrammeStory[] {
  return countries.flatMap((country, i) => {
    const stories = [story(country, i, FEATURED[country.code] ?? {})];
    if (i % 7 === 3) {
      const round = Math.floor(i / 7);
      const sector = SECTORS[Math.floor(round / 2) % SECTORS.length];
      const kind =
        round % 2 === 0
          ? { cirtType: 'government' as const, title: `${country.name} government CIRT` }
          : {
              cirtType: 'sectoral' as const,
              sector,
              title: `${country.name} ${sector} sector CIRT`,
            };
      stories.push({ ...story(country, i + 1, { phase: PHASES[round % 3] }), ...kind });
    }
    return stories;
  });
}

/** A country's answer to an indicator: some countries lean weaker, some stronger, so scores vary. */
export function levelOf(countryCode: string, indicatorKey: string): number {
  const lean = (hash(countryCode) % 3) - 1;
  return Math.min(4, Math.max(0, 1 + (hash(`${countryCode} ${indicatorKey}`) % 3) + lean));
}
