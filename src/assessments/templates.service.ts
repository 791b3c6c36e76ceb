import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { canonicalJson } from '../common/canonical-json.js';
import { notFound } from '../common/domain-error.js';
import { AppConfig } from '../config/app-config.js';
import { AssessmentsRepository } from './assessments.repository.js';
import { isLocale } from '../messages/locales.js';
import { ASSESSMENT_KINDS, type AssessmentTemplate } from './template.types.js';

const BUILT_IN = join(import.meta.dirname, 'templates');

export function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((version) => version.split('.').map(Number));
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** Checks a template file's shape; every problem names the file. */
function checkTemplate(content: AssessmentTemplate, file: string): void {
  const fail = (problem: string): never => {
    throw new Error(`Assessment template ${file}: ${problem}`);
  };
  if (!/^[a-z0-9-]{1,60}$/.test(content.key ?? '')) fail('key must be 1 to 60 of a-z, 0-9 and -');
  if (!/^\d+\.\d+\.\d+$/.test(content.version ?? '')) fail('version must look like 1.0.0');
  if (!ASSESSMENT_KINDS.includes(content.kind))
    fail(`kind must be one of ${ASSESSMENT_KINDS.join(', ')}`);
  if (!content.title) fail('title is missing');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(content.publishedAt ?? ''))
    fail('publishedAt must be a date YYYY-MM-DD');
  if (!Array.isArray(content.areas) || content.areas.length === 0) fail('areas are missing');
  const keys = new Set<string>();
  for (const area of content.areas) {
    if (!area.key || keys.has(area.key)) fail(`area key ${area.key} is missing or repeated`);
    keys.add(area.key);
    if (!(typeof area.weight === 'number' && area.weight > 0))
      fail(`area ${area.key} needs a positive weight`);
    if (!Array.isArray(area.indicators) || area.indicators.length === 0)
      fail(`area ${area.key} has no indicators`);
    for (const indicator of area.indicators) {
      if (!indicator.key || keys.has(indicator.key))
        fail(`indicator key ${indicator.key} is missing or repeated`);
      keys.add(indicator.key);
      if (!indicator.title) fail(`indicator ${indicator.key} has no title`);
      if (typeof indicator.critical !== 'boolean')
        fail(`indicator ${indicator.key} needs critical: true or false`);
    }
  }
  for (const entry of content.previous?.mapping ?? []) {
    for (const key of entry.to)
      if (!keys.has(key)) fail(`mapping names ${key}, which this version lacks`);
  }
  checkTranslations(content, fail);
}

/** Each translation is of a language of ours but English, and names only what the template has. */
function checkTranslations(content: AssessmentTemplate, fail: (problem: string) => never): void {
  const areas = new Set(content.areas.map((area) => area.key));
  const indicators = new Set(
    content.areas.flatMap((area) => area.indicators.map((indicator) => indicator.key)),
  );
  const levels = new Set(Object.keys(content.scale ?? {}));
  for (const [level, meaning] of Object.entries(content.scaleMeanings ?? {})) {
    if (!levels.has(level)) fail(`scaleMeanings names level ${level}, which the scale lacks`);
    if (typeof meaning !== 'string' || meaning.trim() === '')
      fail(`scaleMeanings.${level} must be a text`);
  }
  for (const [locale, translation] of Object.entries(content.translations ?? {})) {
    if (!isLocale(locale) || locale === 'en')
      fail(`translations.${locale} is not fr, es, ar, ru or zh`);
    const texts: [string, Record<string, string> | undefined, Set<string>][] = [
      ['scale', translation.scale, levels],
      ['scaleMeanings', translation.scaleMeanings, levels],
      ['areas', translation.areas, areas],
      ['indicators', translation.indicators, indicators],
    ];
    for (const [part, entries, known] of texts) {
      for (const [key, text] of Object.entries(entries ?? {})) {
        if (!known.has(key))
          fail(`translations.${locale}.${part} names ${key}, which the template lacks`);
        if (typeof text !== 'string' || text.trim() === '')
          fail(`translations.${locale}.${part}.${key} must be a text`);
      }
    }
  }
}

/**
 * Publishes the template files at start-up and serves them. A published version is immutable:
 * a file whose content differs from what the database holds for its key and version stops the
 * start, since assessments already pinned to that version would change meaning. Its words around
 * that meaning are not part of it: a corrected translation, or a level's guidance (scaleMeanings),
 * replaces the stored one.
 */
@Injectable()
export class TemplatesService implements OnModuleInit {
  private readonly logger = new Logger(TemplatesService.name);
  private templates = new Map<string, AssessmentTemplate>();

  constructor(
    private readonly repository: AssessmentsRepository,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const folders = [
      BUILT_IN,
      ...(this.config.ASSESSMENT_TEMPLATES_DIR ? [this.config.ASSESSMENT_TEMPLATES_DIR] : []),
    ];
    for (const folder of folders) {
      const files = (await readdir(folder)).filter((file) => file.endsWith('.json')).sort();
      for (const file of files)
        await this.publish(JSON.parse(await readFile(join(folder, file), 'utf8')), file);
    }
    const published = await this.repository.listTemplates();
    this.templates = new Map(
      published.map((content) => [`${content.key}@${content.version}`, content]),
    );
    for (const template of this.templates.values()) this.checkMapping(template);
  }

  list(): AssessmentTemplate[] {
    return [...this.templates.values()].sort(
      (a, b) => a.key.localeCompare(b.key) || compareVersions(a.version, b.version),
    );
  }

  get(key: string, version?: string): AssessmentTemplate {
    const template = version ? this.templates.get(`${key}@${version}`) : this.latest(key);
    if (!template) throw notFound(`Assessment template ${key}${version ? ` ${version}` : ''}`);
    return template;
  }

  /** The versions of a template from the first to `version`, oldest first. */
  lineage(key: string, version: string): AssessmentTemplate[] {
    const chain = [this.get(key, version)];
    while (chain[0].previous) chain.unshift(this.get(key, chain[0].previous.version));
    return chain;
  }

  private latest(key: string): AssessmentTemplate | undefined {
    return this.list()
      .filter((template) => template.key === key)
      .at(-1);
  }

  private async publish(content: AssessmentTemplate, file: string): Promise<void> {
    checkTemplate(content, file);
    const { translations, scaleMeanings, ...meaning } = content;
    const hash = createHash('sha256').update(canonicalJson(meaning)).digest('hex');
    if (await this.repository.insertTemplateUnlessPublished(content, hash)) {
      this.logger.log(`Published assessment template ${content.key} ${content.version}`);
      return;
    }
    if ((await this.repository.findTemplateHash(content.key, content.version)) !== hash) {
      throw new Error(
        `Assessment template ${content.key} ${content.version} (${file}) differs from the published ` +
          'version in the database. A published template is immutable: publish a new version instead.',
      );
    }
    if (
      await this.repository.replaceTemplateGuidance(content.key, content.version, {
        translations: translations ?? {},
        scaleMeanings: scaleMeanings ?? {},
      })
    ) {
      this.logger.log(
        `Updated the translations and guidance of assessment template ${content.key} ${content.version}`,
      );
    }
  }

  private checkMapping(template: AssessmentTemplate): void {
    if (!template.previous) return;
    const previous = this.templates.get(`${template.key}@${template.previous.version}`);
    if (!previous) {
      throw new Error(
        `Assessment template ${template.key} ${template.version} follows ${template.previous.version}, which is not published`,
      );
    }
    const known = new Set(
      previous.areas.flatMap((area) => area.indicators.map((indicator) => indicator.key)),
    );
    for (const entry of template.previous.mapping) {
      for (const key of entry.from) {
        if (!known.has(key)) {
          throw new Error(
            `Assessment template ${template.key} ${template.version} maps ${key}, which ${previous.version} lacks`,
          );
        }
      }
    }
  }
}
