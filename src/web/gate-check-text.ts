import { formatError } from '../messages/catalog.js';
import type { Locale, Text } from '../messages/locales.js';
import type { GateCheckResponse } from '../programmes/dto/transition.dto.js';
import type { GateCheckKey } from '../programmes/gates.js';
import { GateCheckErrors } from '../programmes/programme.errors.js';
import type { Translate } from './i18n.js';

/**
 * What a gate check says, in the reader's language: the pages catalog's words for a passed check,
 * the errors catalog's for a failed one, the phase and (when the caller knows it) the country by
 * their names. A check stored before checks kept their values has only its English detail.
 */
export function gateCheckText(
  check: GateCheckResponse,
  lang: Locale,
  t: Translate,
  countryName?: string,
): Text {
  if (!check.params) return { text: check.detail, lang: 'en' };
  const params = {
    ...check.params,
    ...(typeof check.params.phase === 'string' ? { phase: t(`phase.${check.params.phase}`) } : {}),
    ...(countryName && typeof check.params.country === 'string' ? { country: countryName } : {}),
  };
  return {
    text: check.passed
      ? t(`gatePassed.${check.key}`, params as Record<string, string | number>)
      : formatError(GateCheckErrors[check.key as GateCheckKey].messageKey, params, lang),
    lang,
  };
}
