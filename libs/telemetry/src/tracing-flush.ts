import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { currentTracing } from './tracing';

/** Sends the spans still batched when the application shuts down. */
@Injectable()
export class TracingFlush implements OnApplicationShutdown {
  async onApplicationShutdown(): Promise<void> {
    await currentTracing()?.shutdown();
  }
}
