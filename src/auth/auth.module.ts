import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { UsersModule } from '../users/users.module.js';
import { AccessGuard } from './access.guard.js';
import { AccessPolicy } from './access-policy.js';
import { ApiToken } from './api-token.entity.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthController } from './auth.controller.js';
import { AuthRepository } from './auth.repository.js';
import { AuthService } from './auth.service.js';
import { LoginLimiter } from './login-limiter.js';
import { ServerSecrets, loadServerSecrets } from './server-secrets.js';
import { SessionsService } from './sessions.service.js';
import { UserTokensController } from './user-tokens.controller.js';

const ISSUER = 'cirt-tracker';

/** Read once at start, from JWT_SECRET or the database: every replica signs with the same keys. */
@Global()
@Module({
  providers: [
    {
      provide: ServerSecrets,
      inject: [getDataSourceToken(), AppConfig],
      useFactory: (dataSource: DataSource, config: AppConfig) =>
        loadServerSecrets(new AuthRepository(dataSource), config),
    },
  ],
  exports: [ServerSecrets],
})
class ServerSecretsModule {}

@Global()
@Module({
  imports: [
    ServerSecretsModule,
    UsersModule,
    TypeOrmModule.forFeature([ApiToken]),
    JwtModule.registerAsync({
      imports: [ServerSecretsModule],
      inject: [AppConfig, ServerSecrets],
      useFactory: (config: AppConfig, secrets: ServerSecrets) => ({
        // A key object, not the string: jsonwebtoken otherwise tries (and fails) to parse the
        // string as a public key on every verification, a sixth of a request's CPU time.
        secret: createSecretKey(secrets.jwt),
        signOptions: {
          algorithm: 'HS256',
          issuer: ISSUER,
          expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
        },
        verifyOptions: { algorithms: ['HS256'], issuer: ISSUER },
      }),
    }),
  ],
  controllers: [AuthController, UserTokensController],
  providers: [
    AuthRepository,
    AuthService,
    ApiTokensService,
    SessionsService,
    LoginLimiter,
    AccessPolicy,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AccessPolicy, AuthService, ApiTokensService, SessionsService],
})
export class AuthModule {}
