import { type MessageValues, formatMessage } from '../messages/catalog.js';
import type { Locale } from '../messages/locales.js';

/** The page texts in one locale, from the pages catalog. */
export function translator(locale: Locale) {
  return (key: string, values: MessageValues = {}): string =>
    formatMessage('pages', locale, key, values);
}

export type Translate = ReturnType<typeof translator>;
