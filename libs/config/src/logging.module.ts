import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './config';
import { AppConfigToken } from './config.module';

/**
 * Structured logs (pino). Requests are logged by method, route and status only: no bodies, no
 * query strings, no Authorization header, since those carry personal data.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [AppConfigToken],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          serializers: {
            req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, path: String(req.url).split('?')[0] }),
            res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
          },
        },
      }),
    }),
  ],
})
export class LoggingModule {}
