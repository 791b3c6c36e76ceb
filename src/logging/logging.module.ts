import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';

/**
 * Structured JSON logs. Every line written during a request carries its request id, which
 * Fastify assigns (see createHttpApp) and pino-http picks up from the raw request.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.LOG_LEVEL,
          redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
          serializers: {
            // An invitation's link lets its holder set the account's password, and a file form's
            // address carries the session's CSRF token: neither goes in the logs.
            req: (req: { url?: string }) => {
              if (req.url) {
                req.url = req.url
                  .replace(/^\/invitation\/[^/?#]+/, '/invitation/…')
                  .replace(/([?&]_csrf=)[^&#]*/, '$1…');
              }
              return req;
            },
          },
          // Probes call these every few seconds: their lines would drown the rest.
          autoLogging: {
            ignore: (request) =>
              ((request as { originalUrl?: string }).originalUrl ?? request.url ?? '').startsWith(
                '/health/',
              ),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
