import { LOCALES } from '../messages/locales.js';
import { PLAN, milestoneTitle } from './milestone-title.js';

describe(milestoneTitle.name, () => {
  const item = PLAN.planning[0];

  it('should have every default plan item titled in the five other languages', () => {
    const untitled = Object.values(PLAN)
      .flat()
      .flatMap((plan) =>
        LOCALES.filter((l) => l !== 'en' && !plan.titles[l]).map((l) => `${plan.key}/${l}`),
      );
    expect(untitled).toEqual([]);
  });

  it("should give a plan item's title in the reader's language, and a renamed one as written", () => {
    expect(milestoneTitle({ title: item.title, planKey: item.key }, 'ar')).toEqual({
      text: item.titles.ar,
      lang: 'ar',
    });
    expect(milestoneTitle({ title: item.title, planKey: item.key }, 'en')).toEqual({
      text: item.title,
      lang: 'en',
    });
    expect(milestoneTitle({ title: 'Signed at last', planKey: item.key }, 'fr')).toEqual({
      text: 'Signed at last',
      lang: null,
    });
    expect(milestoneTitle({ title: 'Own milestone', planKey: null }, 'fr')).toEqual({
      text: 'Own milestone',
      lang: null,
    });
  });
});
