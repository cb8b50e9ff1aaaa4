/**
 * The Rickter Scale as the Families Outcome Plan uses it: ten life areas, each scored 0–10 (higher
 * is better), at the start, at each review and at closure. Distance travelled is the change from
 * the start to the latest point (closure when held, else the latest review), per area and in total.
 */
export const RICKTER_AREAS = [
  'home_and_housing',
  'money_and_debt',
  'physical_health',
  'emotional_wellbeing',
  'family_relationships',
  'parenting_and_boundaries',
  'education_and_learning',
  'work_and_training',
  'safety',
  'confidence_and_aspirations',
] as const;
export type RickterArea = (typeof RICKTER_AREAS)[number];

export const ASSESSMENT_POINTS = ['start', 'review', 'closure'] as const;
export type AssessmentPoint = (typeof ASSESSMENT_POINTS)[number];

export interface AssessmentLike {
  point: string;
  assessedOn: string;
  scores: { area: string; score: number }[];
}

export interface AreaDistance {
  area: string;
  start: number;
  latest: number;
  change: number;
}

export interface Distance {
  /** Areas scored both at the start and at the latest point. */
  perArea: AreaDistance[];
  /** Sum of the per-area changes; null without a start and a later assessment. */
  total: number | null;
  latestPoint: AssessmentPoint | null;
  startTotal: number | null;
  latestTotal: number | null;
}

export function distanceTravelled(assessments: AssessmentLike[]): Distance {
  const start = assessments.find((a) => a.point === 'start');
  const later = assessments.filter((a) => a.point !== 'start');
  const latest =
    later.find((a) => a.point === 'closure') ??
    [...later].sort((a, b) => a.assessedOn.localeCompare(b.assessedOn)).at(-1);
  if (!start || !latest) return { perArea: [], total: null, latestPoint: null, startTotal: null, latestTotal: null };
  const latestByArea = new Map(latest.scores.map((s) => [s.area, s.score]));
  const perArea = start.scores
    .filter((s) => latestByArea.has(s.area))
    .map((s) => ({
      area: s.area,
      start: s.score,
      latest: latestByArea.get(s.area)!,
      change: latestByArea.get(s.area)! - s.score,
    }));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    perArea,
    total: sum(perArea.map((p) => p.change)),
    latestPoint: latest.point as AssessmentPoint,
    startTotal: sum(perArea.map((p) => p.start)),
    latestTotal: sum(perArea.map((p) => p.latest)),
  };
}
