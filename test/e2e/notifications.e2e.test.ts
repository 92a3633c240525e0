import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { eventually } from '../support/polling';
import { breachReport } from '../support/data-breach-fixtures';
import { unique } from '../support/platform';
import { type Caller, ServiceUnderTest, createIsolatedDatabase } from '../support/service';

/** Notifications over SMTP, exactly once (real worker, Temporal dev server, PostgreSQL, a local SMTP relay). */
interface ReceivedMail {
  envelopeTo: string[];
  headers: Map<string, string>;
  raw: string;
}

/** A local SMTP relay for the service to deliver to; it can be told to refuse recipients for a while. */
class SmtpStandIn {
  readonly received: ReceivedMail[] = [];
  /** While true, every recipient is refused with a temporary error (451). */
  refusing = false;
  private readonly server: SMTPServer;

  private constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (_address: SMTPServerAddress, _session: SMTPServerSession, callback: (err?: Error | null) => void) => {
        if (this.refusing) return callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }));
        callback();
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), headers: parseHeaders(raw), raw });
          callback();
        });
      },
    });
  }

  static async start(): Promise<SmtpStandIn> {
    const standIn = new SmtpStandIn();
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  withMessageId(messageId: string): ReceivedMail[] {
    return this.received.filter((m) => m.headers.get('message-id') === messageId);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function parseHeaders(raw: string): Map<string, string> {
  const head = raw.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), decodeEncodedWords(line.slice(colon + 1).trim()));
  }
  return headers;
}

/** RFC 2047 encoded words (`=?UTF-8?Q?...?=` / `=?UTF-8?B?...?=`), as mailers write non-ASCII subjects. */
function decodeEncodedWords(value: string): string {
  return value.replace(/=\?utf-8\?([bq])\?([^?]*)\?=(\s+(?==\?))?/gi, (_m, encoding: string, text: string) =>
    encoding.toLowerCase() === 'b'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_x, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
  );
}

/** The stable Message-ID the outbox derives from a message's dedupe key, so a relay can drop a resent duplicate. */
const messageIdFor = (dedupeKey: string) => `<${dedupeKey.replace(/[^A-Za-z0-9.-]/g, '.')}@buf-sagsflow>`;

/** Its own database: every test file's worker drains the outbox of the database it uses. */
describe('notifications over SMTP, exactly once (real worker, Temporal dev server, PostgreSQL, local SMTP relay)', () => {
  let service: ServiceUnderTest;
  let smtp: SmtpStandIn;
  let reporter: Caller;

  beforeAll(async () => {
    smtp = await SmtpStandIn.start();
    service = await ServiceUnderTest.start('platform-smtp', {
      DATABASE_URL: await createIsolatedDatabase('platform-smtp'),
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    });
    reporter = await service.as({ sub: unique('emp'), name: 'Erik Ansat', roles: ['employee'], unit: 'Skole Nord' });
  });

  afterAll(async () => {
    await service?.stop();
    await smtp?.stop();
  });

  /** Opens a breach; its 'opened' step queues the assignment to the GDPR function. */
  const openBreach = async () => {
    const opened = await reporter.start('data-breach', breachReport());
    expect(opened.status).toBe(201);
    const [assignment] = await service.outbox(opened.body.id);
    expect(assignment).toMatchObject({ recipient_role: 'gdpr', kind: 'assignment' });
    return { caseId: opened.body.id as string, caseNumber: opened.body.caseNumber as string, dedupeKey: assignment.dedupe_key };
  };

  const outboxRow = async (caseId: string, dedupeKey: string) => (await service.outbox(caseId)).find((m) => m.dedupe_key === dedupeKey);
  const sent = (caseId: string, dedupeKey: string) =>
    eventually(`outbox message ${dedupeKey} sent`, async () => {
      const row = await outboxRow(caseId, dedupeKey);
      return row?.status === 'sent' ? row : undefined;
    });

  /**
   * A barrier: a later message is delivered only after the sender has claimed again, so any repeat
   * of an earlier message would have reached the relay by then.
   */
  const oneMoreDelivery = async () => {
    const later = await openBreach();
    await sent(later.caseId, later.dedupeKey);
    await eventually('the later message at the relay', async () => smtp.withMessageId(messageIdFor(later.dedupeKey)).length > 0);
  };

  it('given a reported breach, when the outbox is drained, then the relay receives one Danish message for its key, to gdpr@buf.example.dk, without the breach details', async () => {
    const { caseId, caseNumber, dedupeKey } = await openBreach();

    const row = await sent(caseId, dedupeKey);
    await oneMoreDelivery();

    expect(row.attempts).toBe(1);
    const messages = smtp.withMessageId(messageIdFor(dedupeKey));
    expect(messages).toHaveLength(1);
    const [mail] = messages;
    expect(mail.envelopeTo).toEqual(['gdpr@buf.example.dk']);
    expect(mail.headers.get('to')).toContain('gdpr@buf.example.dk');
    expect(mail.headers.get('subject')).toBe(`Nyt sikkerhedsbrud: Sikkerhedsbrud ${caseNumber}`);
    expect(mail.raw).not.toContain(breachReport().description);
  });

  it('given a relay that refuses recipients, when a breach is reported, then the message stays pending while refused and is delivered once on a later poll', async () => {
    smtp.refusing = true;
    let caseId = '';
    let dedupeKey = '';
    try {
      ({ caseId, dedupeKey } = await openBreach());
      const refused = await eventually(`outbox message ${dedupeKey} refused twice`, async () => {
        const row = await outboxRow(caseId, dedupeKey);
        return row && row.status === 'pending' && row.attempts >= 2 ? row : undefined;
      });
      expect(refused.last_error).toEqual(expect.any(String));
      expect(smtp.withMessageId(messageIdFor(dedupeKey))).toHaveLength(0);
    } finally {
      smtp.refusing = false;
    }

    const row = await sent(caseId, dedupeKey);
    await oneMoreDelivery();

    expect(row.last_error).toBeNull();
    const messages = smtp.withMessageId(messageIdFor(dedupeKey));
    expect(messages).toHaveLength(1);
    expect(messages[0].envelopeTo).toEqual(['gdpr@buf.example.dk']);
  });
});
