import { createSecretKey } from 'node:crypto';
import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/app-config.js';
import { UsersModule } from '../users/users.module.js';
import { AccessGuard } from './access.guard.js';
import { AccessPolicy } from './access-policy.js';
import { ApiToken } from './api-token.entity.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LoginLimiter } from './login-limiter.js';

const ISSUER = 'cirt-tracker';

@Global()
@Module({
  imports: [
    UsersModule,
    TypeOrmModule.forFeature([ApiToken]),
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        // A key object, not the string: jsonwebtoken otherwise tries (and fails) to parse the
        // string as a public key on every verification, a sixth of a request's CPU time.
        secret: createSecretKey(Buffer.from(config.JWT_SECRET)),
        signOptions: {
          algorithm: 'HS256',
          issuer: ISSUER,
          expiresIn: config.ACCESS_TOKEN_TTL_SECONDS,
        },
        verifyOptions: { algorithms: ['HS256'], issuer: ISSUER },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    ApiTokensService,
    LoginLimiter,
    AccessPolicy,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AccessPolicy, AuthService],
})
export class AuthModule {}
