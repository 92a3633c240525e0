import { Global, Module } from '@nestjs/common';
import { type AppConfig, loadConfig } from './config';

/** Injection token for the validated configuration (a class token, not a string). */
export abstract class AppConfigToken {}
export type { AppConfig };

@Global()
@Module({
  providers: [{ provide: AppConfigToken, useFactory: (): AppConfig => loadConfig() }],
  exports: [AppConfigToken],
})
export class ConfigModule {}
