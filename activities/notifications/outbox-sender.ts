import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type AppConfig, AppConfigToken } from '@buf/config';
import { OutboxStore } from '@buf/persistence/outbox-store';
import { type MailTransport, logTransport, smtpTransport } from './mail-transport';
import { addressOf } from './recipients';

/** A sender that died mid-send is assumed gone after this long, and its messages are retried. */
const STALE_CLAIM_MS = 5 * 60_000;
const BATCH = 20;

/**
 * Delivers the notification outbox: claims pending messages, sends each, marks it sent.
 * Failed sends go back to pending and are retried on the next poll.
 */
@Injectable()
export class OutboxSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxSender.name);
  private readonly transport: MailTransport;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly outbox: OutboxStore,
    @Inject(AppConfigToken) private readonly config: AppConfig,
  ) {
    this.transport = config.smtpUrl ? smtpTransport(config.smtpUrl, config.mailFrom) : logTransport(this.logger);
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.transport.close();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.drain()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn(`Outbox poll failed: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => this.schedule());
    }, this.config.outboxPollMs);
  }

  /** Sends everything pending now; returns how many were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.outbox.claim(BATCH, STALE_CLAIM_MS);
      if (batch.length === 0) return sent;
      let failed = false;
      for (const message of batch) {
        try {
          await this.transport.send({
            messageId: `<${message.dedupeKey.replace(/[^A-Za-z0-9.-]/g, '.')}@buf-sagsflow>`,
            to: addressOf(this.config, message.recipientRole),
            ...(message.cc ? { cc: addressOf(this.config, message.cc) } : {}),
            subject: message.subject,
            text: message.body,
          });
          await this.outbox.markSent(message.id);
          sent += 1;
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          this.logger.warn({ caseId: message.caseId }, `Notification ${message.id} (attempt ${message.attempts}) not sent: ${reason}`);
          await this.outbox.release(message.id, reason);
          failed = true;
        }
      }
      // After a failure, wait for the next poll instead of hammering a relay that is down.
      if (failed || this.stopped) return sent;
    }
  }
}
