import type { Logger } from '@nestjs/common';
import * as nodemailer from 'nodemailer';

export interface OutgoingMail {
  messageId: string;
  to: string;
  cc?: string;
  subject: string;
  text: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP when SMTP_URL is set; the Message-ID is stable so a relay can drop a resent duplicate. */
export function smtpTransport(url: string, from: string): MailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transporter.sendMail({ from, to: mail.to, ...(mail.cc ? { cc: mail.cc } : {}), subject: mail.subject, text: mail.text, messageId: mail.messageId });
    },
    close: () => transporter.close(),
  };
}

/** Without SMTP: the notification is logged by id, role and kind — never its text, which may name a case. */
export function logTransport(logger: Logger): MailTransport {
  return {
    async send(mail) {
      logger.log(`Notification ${mail.messageId} to ${mail.to}${mail.cc ? ` (cc ${mail.cc})` : ''} (no SMTP_URL: logged, not sent)`);
    },
    close: () => undefined,
  };
}
