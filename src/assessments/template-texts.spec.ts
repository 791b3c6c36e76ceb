import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOCALES } from '../messages/locales.js';
import { templateTexts } from './template-texts.js';
import type { AssessmentTemplate } from './template.types.js';

const BUILT_IN = join(import.meta.dirname, 'templates');
const builtIn: AssessmentTemplate[] = readdirSync(BUILT_IN).map((file) =>
  JSON.parse(readFileSync(join(BUILT_IN, file), 'utf8')),
);

describe(templateTexts.name, () => {
  it('should have every built-in questionnaire translated whole into the five other languages', () => {
    for (const template of builtIn) {
      for (const locale of LOCALES.filter((l) => l !== 'en')) {
        const texts = templateTexts(template, locale);
        const all = [
          texts.title,
          ...(texts.description ? [texts.description] : []),
          ...texts.scale.flatMap((level) => [
            level.label,
            ...(level.meaning ? [level.meaning] : []),
          ]),
          ...texts.areas.flatMap((area) => [area.title, ...area.indicators.map((i) => i.title)]),
        ];
        const english = all.filter((text) => text.lang !== locale);
        expect({ template: template.key, locale, english }).toEqual({
          template: template.key,
          locale,
          english: [],
        });
      }
    }
  });

  it('should say what each level of every built-in questionnaire means', () => {
    for (const template of builtIn) {
      const levels = templateTexts(template, 'en').scale;
      expect({ template: template.key, without: levels.filter((level) => !level.meaning) }).toEqual(
        { template: template.key, without: [] },
      );
    }
  });

  it('should fall back to English text by text, marked as English', () => {
    const template: AssessmentTemplate = {
      ...builtIn[0],
      translations: {
        fr: { title: 'Questionnaire', areas: { [builtIn[0].areas[0].key]: 'Zone' } },
      },
    };
    const texts = templateTexts(template, 'fr');
    expect(texts.title).toEqual({ text: 'Questionnaire', lang: 'fr' });
    expect(texts.areas[0].title).toEqual({ text: 'Zone', lang: 'fr' });
    expect(texts.areas[1].title).toEqual({ text: template.areas[1].title, lang: 'en' });
    expect(texts.scale[0].label).toEqual({ text: template.scale['0'], lang: 'en' });
    expect(texts.scale[0].meaning).toEqual({ text: template.scaleMeanings!['0'], lang: 'en' });
    expect(templateTexts(template, 'en').title).toEqual({ text: template.title, lang: 'en' });
  });

  it('should give no meaning to the levels of a template that has none', () => {
    const template: AssessmentTemplate = { ...builtIn[0], scaleMeanings: undefined };
    expect(templateTexts(template, 'fr').scale.map((level) => level.meaning)).toEqual(
      Object.keys(template.scale).map(() => null),
    );
  });
});
