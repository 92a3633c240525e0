import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type AppConfig, AppConfigToken, PROJECT_ROOT } from '@buf/config';
import { CaseErrorCode, PROCESS_DEFINITIONS } from '@buf/domain';
import { ServiceMetrics } from '@buf/telemetry';
import { AppModule } from './app.module';
import { ALL_INPUT_DTOS, AREA_FORMAT, BODY_SCHEMA_NAMES, configureFieldRules } from './cases/input-dtos';
import { CaseException } from './errors/api-error';
import { IMPORT_MAX_BODY } from './imports/training-import.controller';
import { httpMetrics } from './metrics/http-metrics';
import { documentAreas, documentErrorResponses, documentProcessOperations } from './openapi';

/** The web app's sign-in routes (WebSessionController), beside the API rather than in it. */
const WEB_SESSION_ROUTES = ['auth/session', 'auth/dev', 'auth/sign-out', 'auth/login', 'auth/callback'];
/** Where `npm run build` puts the web app (Vite, apps/web). */
export const WEB_APP_DIR = path.join(PROJECT_ROOT, 'dist', 'web');
/** Paths that are the service's own, never the web app's pages. */
const NOT_WEB_PAGES = /^\/(api|docs|docs-json|codec|auth|metrics)(\/|$)/;

/**
 * The staff web app at `/`: its built files, and its index page for every other page address
 * (the app routes in the browser), so a bookmarked case address opens. Hashed assets are cached
 * for good; the index page never, so a new build is picked up at once.
 */
function serveWebApp(app: NestExpressApplication): void {
  const index = path.join(WEB_APP_DIR, 'index.html');
  if (!fs.existsSync(index)) return;
  app.useStaticAssets(WEB_APP_DIR, {
    index: false,
    setHeaders: (res, file) => res.setHeader('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  app.use((req: { method: string; path: string }, res: { setHeader(n: string, v: string): void; sendFile(f: string): void }, next: () => void) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_WEB_PAGES.test(req.path) || path.extname(req.path) !== '') return next();
    res.setHeader('cache-control', 'no-cache');
    res.sendFile(index);
  });
}
/** The media types of the bodies the API reads (the body parsers above). */
const READ_MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded'];
/** The routes that also read CSV (text/csv): the imports. */
const CSV_ROUTES = /^\/api\/v1\/imports\//;

/** Builds the HTTP application (shared by main.ts and the tests). */
export async function createApiApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  const config = app.get<AppConfig>(AppConfigToken);
  // Area fields accept the configured areas only (the same list the workflow start receives).
  configureFieldRules({ areas: config.areas });
  app.use(httpMetrics(app.get(ServiceMetrics)));
  app.use(helmet());
  // CORS is closed unless origins are configured (e.g. the Temporal UI's, for the codec endpoint).
  // With codec sessions, the UI sends the session cookie ("include cross-origin credentials").
  if (config.corsOrigins.length > 0) {
    app.enableCors({
      origin: config.corsOrigins,
      methods: ['GET', 'POST'],
      allowedHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-namespace'],
      credentials: config.codecSessions,
    });
  }
  app.use(cookieParser());
  app.useBodyParser('json', { limit: '256kb' });
  app.useBodyParser('urlencoded', { limit: '32kb', extended: false });
  // A training import file (POST /imports/training); a CSV body elsewhere is refused below (415).
  app.useBodyParser('text', { type: 'text/csv', limit: IMPORT_MAX_BODY });
  // A body in a media type the API does not read (text/plain, multipart/form-data) is refused as
  // such (415), not read as no body at all, whose fields a 400 would then call missing.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    const readable = READ_MEDIA_TYPES.includes(type) || (type === 'text/csv' && CSV_ROUTES.test(req.path));
    if (hasBody && !readable) next(Object.assign(new Error('Unsupported media type'), { status: 415, expose: true, type: 'content-type.unsupported' }));
    else next();
  });
  // The codec endpoint sits at /codec, where the Temporal UI's --ui-codec-endpoint points.
  app.setGlobalPrefix('api/v1', { exclude: ['codec/decode', 'codec/encode', 'codec/session', 'codec/session/logout', 'metrics', ...WEB_SESSION_ROUTES] });
  serveWebApp(app);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => {
        const fields = errors.map((e) => ({ field: e.property, message: Object.values(e.constraints ?? {})[0] ?? `${e.property} is invalid` }));
        return new CaseException(CaseErrorCode.InvalidInput, fields.map((f) => f.message).join('; '), { fields });
      },
    }),
  );
  app.enableShutdownHooks();
  const document = documentProcessOperations(documentErrorResponses(SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('BUF case workflows')
      .setDescription('Case-handling processes of Børne- og Ungdomsforvaltningen as durable workflows. Case ids are Temporal workflow ids.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
    { extraModels: ALL_INPUT_DTOS },
  )), PROCESS_DEFINITIONS, BODY_SCHEMA_NAMES);
  documentAreas(document, config.areas, AREA_FORMAT);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
