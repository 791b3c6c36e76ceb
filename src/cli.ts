// Operators' commands, run at the server's shell: `npm run cli -- <command> [options]`.
import 'reflect-metadata';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { pino } from 'pino';
import { AppModule } from './app.module.js';
import { AuditModule } from './audit/audit.module.js';
import { CommonModule } from './common/common.module.js';
import { DomainError, inLocale } from './common/domain-error.js';
import { createValidationPipe } from './common/validation.js';
import { AppConfig, ConfigError, loadConfig, loadDotEnv } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { shellLanguage } from './config/environment.js';
import { DatabaseModule } from './database/database.module.js';
import { openEmbeddedDatabase } from './database/embedded-database.js';
import { type DemoSummary, loadDemoPortfolio } from './demo/demo-portfolio.js';
import { CreateUserDto } from './users/dto/user.dto.js';
import { UsersModule } from './users/users.module.js';
import { UsersService } from './users/users.service.js';
import { type MessageValues, formatError, formatMessage } from './messages/catalog.js';
import { resolveLocale } from './messages/locales.js';

/** The operator's language, as their shell's locale says (fr_FR.UTF-8 is French), else English. */
const LOCALE = resolveLocale(shellLanguage());
const say = (key: string, values: MessageValues = {}) => formatMessage('cli', LOCALE, key, values);

@Module({})
class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        DatabaseModule,
        AuditModule,
        UsersModule,
      ],
    };
  }
}

/**
 * Runs `work` on the configured database. Without DATABASE_URL that is the embedded one: the
 * service's while it runs, else started for the command and stopped after it.
 */
async function withDatabase(config: AppConfig, work: () => Promise<void>): Promise<void> {
  if (config.DATABASE_URL !== undefined) return work();
  const database = await openEmbeddedDatabase(config.DATA_DIR, pino({ level: 'warn' }));
  config.useEmbeddedDatabase(database.url);
  try {
    await work();
  } finally {
    await database.stop();
  }
}

async function createUser(args: string[], config: AppConfig): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      country: { type: 'string' },
      region: { type: 'string' },
      name: { type: 'string' },
      locale: { type: 'string' },
    },
  });
  const password = (await text(process.stdin)).replace(/\r?\n$/, '');
  const dto: CreateUserDto = await createValidationPipe().transform(
    {
      email: values.email,
      displayName: values.name ?? values.email?.split('@')[0],
      role: values.role,
      countryCode: values.country,
      regionCode: values.region,
      locale: values.locale,
      password,
    },
    { type: 'body', metatype: CreateUserDto },
  );
  await withDatabase(config, async () => {
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
      logger: ['error', 'warn'],
      abortOnError: false,
    });
    try {
      const user = await app.get(UsersService).createByOperator(dto);
      console.log(say('userCreated', { role: user.role, email: user.email, id: user.id }));
    } finally {
      await app.close();
    }
  });
}

/** Columns padded to their widest cell. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function describeDemo(summary: DemoSummary, publicUrl: string): string {
  const countries = summary.countriesPerPhase.reduce((sum, phase) => sum + phase.countries, 0);
  const portfolio = { programmes: summary.programmes, countries };
  return [
    say(summary.alreadyLoaded ? 'demoAlreadyLoaded' : 'demoLoaded', portfolio),
    '',
    table([
      [say('column.phase'), say('column.countries')],
      ...summary.countriesPerPhase.map(({ phase, countries }) => [
        formatMessage('pages', LOCALE, `phase.${phase}`),
        String(countries),
      ]),
    ]),
    '',
    // Roles stay codes: they are what user:create --role takes.
    table([
      [say('column.email'), say('column.role'), say('column.scope'), say('column.password')],
      ...summary.users.map((user) => [user.email, user.role, user.scope ?? '-', summary.password]),
    ]),
    '',
    say('startService', { url: publicUrl }),
  ].join('\n');
}

async function loadDemo(args: string[], config: AppConfig): Promise<void> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: { countries: { type: 'string', default: '40' } },
  });
  if (config.NODE_ENV === 'production') {
    console.error(say('demoRefusedInProduction'));
    process.exitCode = 1;
    return;
  }
  await withDatabase(config, async () => {
    // The demo needs every feature module; as an api process, it starts no queue workers.
    const app = await NestFactory.createApplicationContext(
      AppModule.forRoot(Object.assign(new AppConfig(), config, { PROCESS_ROLE: 'api' as const })),
      { logger: ['error', 'warn'], abortOnError: false },
    );
    try {
      const summary = await loadDemoPortfolio(app, { countries: Number(values.countries) });
      console.log(describeDemo(summary, config.PUBLIC_URL));
    } finally {
      await app.close();
    }
  });
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const [command, ...args] = process.argv.slice(2);
  if (command === 'user:create') return createUser(args, config);
  if (command === 'demo:load') return loadDemo(args, config);
  console.error(
    command ? `${say('unknownCommand', { command })}\n\n${say('usage')}` : say('usage'),
  );
  process.exitCode = 2;
}

main().catch((error: unknown) => {
  if (error instanceof DomainError) {
    const details = (error.errors ?? []).map(
      (problem) => `\n  - ${problem.field}: ${inLocale(problem, LOCALE).message}`,
    );
    console.error(
      `${formatError(error.entry.messageKey, error.params, LOCALE)}${details.join('')}`,
    );
  } else if (
    error instanceof ConfigError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    console.error(`${(error as Error).message}\n\n${say('usage')}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
