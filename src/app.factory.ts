import zlib from 'node:zlib';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { RequestMethod, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { WEB_PAGE_ROUTES } from './web/web-routes.js';
import { ASSETS_PREFIX, MAP_ASSETS, WEB_ASSETS } from './web/assets.js';
import {
  ProblemDetailsFilter,
  problemForStatus,
  sendProblem,
} from './common/problem-details.filter.js';
import { BEARER_SCHEME } from './common/openapi.js';
import { REQUEST_ID_HEADER, requestId } from './common/request-id.js';
import { UnreadBodyInterceptor } from './common/unread-body.interceptor.js';
import { createValidationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { withErrorCodes } from './common/error-codes.openapi.js';

export const API_PREFIX = 'api/v1';
const BODY_LIMIT_BYTES = 1024 * 1024;

/** The HTTP application with everything a request meets: used by main.ts and by the tests. */
export async function createHttpApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      trustProxy: config.TRUST_PROXY,
      requestIdHeader: false,
      genReqId: requestId,
      // The router refuses a malformed URL (400) or an over-long path parameter (414) before any
      // hook or filter runs.
      frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
        sendProblem(reply, problemForStatus(error.statusCode ?? 400), request.id),
    }),
    { bufferLogs: true, abortOnError: false, return503OnClosing: true },
  );
  app.useLogger(app.get(Logger));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      void reply.header(REQUEST_ID_HEADER, request.id);
    });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: [`'self'`],
        styleSrc: [`'self'`, `'unsafe-inline'`],
        imgSrc: [`'self'`, 'data:'],
        // The pages' scripts are files (src/web/assets); none is inline, so an injected one cannot run.
        scriptSrc: [`'self'`],
        // Only a site served over https can ask browsers to upgrade; over plain http it breaks the pages.
        upgradeInsecureRequests: config.PUBLIC_URL.startsWith('https:') ? [] : null,
      },
    },
    // Browsers send a real Origin on the pages' own form posts, which sign-in checks.
    referrerPolicy: { policy: 'same-origin' },
  });
  await app.register(cookie);
  // Document uploads: parts are streamed as the routes read them (documents/document-upload.ts).
  await app.register(multipart);
  // Pages, scripts and JSON go out compressed: a national team on a 400 kbps line gets a fraction
  // of the bytes (brotli, else gzip; small answers as they are). Brotli at quality 5 rather than
  // the plugin's 4: a 40 KB page comes out 10% smaller for about half a millisecond more.
  await app.register(compress, {
    encodings: ['br', 'gzip'],
    threshold: 1024,
    brotliOptions: {
      params: {
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
        [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
      },
    },
  });
  // Versioned URLs (assets.ts): kept a year, never asked for again.
  const forever = { maxAge: '365d', immutable: true } as const;
  await app.register(fastifyStatic, { root: WEB_ASSETS, prefix: ASSETS_PREFIX, ...forever });
  // The map's outlines are drawn when the application starts (assets.ts): no files, the same terms.
  const server = app.getHttpAdapter().getInstance();
  for (const [name, svg] of MAP_ASSETS) {
    server.get(`${ASSETS_PREFIX}${name}`, (_request, reply) =>
      reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .type('image/svg+xml')
        .send(svg),
    );
  }
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
      ...WEB_PAGE_ROUTES,
    ],
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new UnreadBodyInterceptor());
  app.useGlobalFilters(new ProblemDetailsFilter());

  const openApi = new DocumentBuilder()
    .setTitle('cirt-tracker')
    .setDescription(
      'National CIRT rollouts: programmes, phases, gates, assessments, reminders, reports.',
    )
    .setVersion('1')
    .addServer(config.PUBLIC_URL.replace(/\/+$/, ''), 'this deployment')
    // Every operation needs a token unless it says otherwise (security: []), as the global guard.
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'an access token from login, or an API token',
      },
      BEARER_SCHEME,
    )
    .addSecurityRequirements(BEARER_SCHEME)
    .build();
  SwaggerModule.setup(
    'api/docs',
    app,
    () => withErrorCodes(SwaggerModule.createDocument(app, openApi)),
    {
      jsonDocumentUrl: 'api/docs-json',
    },
  );
  return app;
}

/** A worker-only process: the same modules, no HTTP server. */
export async function createWorkerContext(config: AppConfig): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  return app;
}
