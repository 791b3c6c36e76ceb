// Operators' commands, run at the server's shell: `npm run cli -- <command> [options]`.
import 'reflect-metadata';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { type DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuditModule } from './audit/audit.module.js';
import { CommonModule } from './common/common.module.js';
import { DomainError } from './common/domain-error.js';
import { createValidationPipe } from './common/validation.js';
import { AppConfig, ConfigError, loadConfig, loadDotEnv } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { CreateUserDto } from './users/dto/user.dto.js';
import { UsersModule } from './users/users.module.js';
import { UsersService } from './users/users.service.js';

const USAGE = `Usage:
  npm run cli -- user:create --email E --role R [--country KE | --region AFR] [--name N] [--locale fr]
      Creates a user; the password is read from standard input.
      Roles: admin, itu_pm, regional_coordinator (needs --region), national_team (needs --country), observer.`;

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
  const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  try {
    const user = await app.get(UsersService).createByOperator(dto);
    console.log(`Created ${user.role} ${user.email} (${user.id})`);
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const [command, ...args] = process.argv.slice(2);
  if (command === 'user:create') return createUser(args, config);
  console.error(command ? `Unknown command ${command}\n\n${USAGE}` : USAGE);
  process.exitCode = 2;
}

main().catch((error: unknown) => {
  if (error instanceof DomainError) {
    const details = (error.errors ?? []).map(
      (problem) => `\n  - ${problem.field}: ${problem.message}`,
    );
    console.error(`${error.message}${details.join('')}`);
  } else if (
    error instanceof ConfigError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
  } else {
    console.error(error);
  }
  process.exit(1);
});
