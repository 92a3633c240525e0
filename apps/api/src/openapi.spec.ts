import { type INestApplication, Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppConfigToken } from '@buf/config';
import { DEFAULT_POLICY } from '@buf/domain';
import { ApiExceptionFilter } from './errors/api-exception.filter';
import { documentErrorResponses } from './openapi';
import { ProcessesController } from './processes/processes.controller';

/**
 * Findings of the schemathesis run (`npm run fuzz`), kept as fast tests: error answers are JSON
 * in the one documented error shape, also on routes that answer another type when they succeed.
 */
@Module({
  controllers: [ProcessesController],
  providers: [
    { provide: APP_FILTER, useClass: ApiExceptionFilter },
    { provide: AppConfigToken, useValue: { policy: DEFAULT_POLICY } },
  ],
})
class ProcessesOnlyModule {}

type Responses = Record<string, { content?: Record<string, { schema?: unknown }> }>;

describe('the OpenAPI document and the error answers', () => {
  let app: INestApplication;
  let base: string;
  let document: OpenAPIObject;

  beforeAll(async () => {
    app = await NestFactory.create(ProcessesOnlyModule, { logger: false });
    app.setGlobalPrefix('api/v1');
    document = documentErrorResponses(SwaggerModule.createDocument(app, new DocumentBuilder().addBearerAuth().build()));
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await app.close();
  });

  it('given an unknown process, when its BPMN is requested, then the 404 is JSON in the error shape, not labelled XML', async () => {
    const res = await fetch(`${base}/api/v1/processes/no-such-process/bpmn`);

    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.stringContaining('Unknown process') });
  });

  it('given a known process, when its BPMN is requested, then it is still answered as XML', async () => {
    const res = await fetch(`${base}/api/v1/processes/complaint/bpmn`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
  });

  it('given the generated document, when errors are documented, then every operation documents its errors with the ApiError schema', () => {
    const ref = { $ref: '#/components/schemas/ApiError' };
    const bpmn = document.paths['/api/v1/processes/{process}/bpmn'].get?.responses as Responses;

    expect(document.components?.schemas?.ApiError).toMatchObject({ required: ['statusCode', 'error', 'message'] });
    expect(bpmn['404'].content?.['application/json']?.schema).toEqual(ref);
    expect(bpmn['200'].content?.['application/json']).toBeUndefined();
    for (const status of ['400', '503']) expect(bpmn[status].content?.['application/json']?.schema).toEqual(ref);
  });

  it('given a document with a body operation and a response that has its own content, when errors are documented, then the body errors are added and that content is kept', () => {
    const own = { schema: { type: 'object', properties: { status: { type: 'string' } } } };
    const doc = documentErrorResponses({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/things': {
          post: { security: [{ bearer: [] }], requestBody: { content: {} }, responses: { '201': { description: 'made' }, '503': { description: 'down', content: { 'application/json': own } } } },
        },
      },
    });
    const responses = doc.paths['/things'].post?.responses as Responses;

    expect(Object.keys(responses).sort()).toEqual(['201', '400', '401', '413', '415', '429', '503']);
    expect(responses['503'].content?.['application/json']).toBe(own);
    expect(responses['201'].content).toBeUndefined();
  });
});
