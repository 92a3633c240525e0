import { Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { connectClient } from './client';

@Injectable()
class TemporalClientCloser implements OnApplicationShutdown {
  constructor(@Inject(Client) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

/** Provides the Temporal `Client` (class token) and closes its connection on shutdown. */
@Module({
  providers: [
    { provide: Client, inject: [AppConfigToken], useFactory: (config: AppConfig) => connectClient(config) },
    TemporalClientCloser,
  ],
  exports: [Client],
})
export class TemporalClientModule {}
