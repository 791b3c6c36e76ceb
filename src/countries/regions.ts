/** ITU-D's six regions. The countries in each are data (the countries table), not code. */
export const REGION_CODES = ['AFR', 'AMS', 'ARB', 'ASP', 'CIS', 'EUR'] as const;
export type RegionCode = (typeof REGION_CODES)[number];
