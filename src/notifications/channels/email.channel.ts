import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config.js';
import { PermanentDeliveryError, TransientDeliveryError } from './delivery-error.js';

export interface EmailMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/**
 * Sends over SMTP, with a pooled connection for each message in flight (DELIVERY_CONCURRENCY, at
 * least 4). The Message-ID comes from the notification id, so receivers can drop a repeat.
 */
@Injectable()
export class EmailChannel implements OnApplicationShutdown {
  private readonly transport: Transporter;

  constructor(private readonly config: AppConfig) {
    this.transport = nodemailer.createTransport({
      url: config.SMTP_URL,
      pool: true,
      maxConnections: Math.max(4, config.DELIVERY_CONCURRENCY),
    });
  }

  async send(message: EmailMessage): Promise<string> {
    try {
      const info = await this.transport.sendMail({
        from: this.config.SMTP_FROM,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html ?? undefined,
        attachments: message.attachments,
        messageId: `<${message.id}@cirt-tracker>`,
      });
      return String(info.response ?? 'accepted');
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode ?? 0;
      const text = (error as Error).message;
      throw code >= 500 && code < 600
        ? new PermanentDeliveryError(text)
        : new TransientDeliveryError(text);
    }
  }

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
