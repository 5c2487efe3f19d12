import nodemailer, { type Transporter } from "nodemailer";
import { UserError } from "../errors/user-error.js";

/** One outgoing mail. `html` is optional; attachments are in-memory (CSV digests, PDF reports). */
export interface Mail {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer | string; contentType?: string }[];
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
  close(): void;
}

/**
 * The one SMTP sender, shared by alerts, scheduled reports and survey invitations, so that one
 * setting (`DESKPULSE_SMTP_URL`, e.g. `smtp://user:pass@mail.example.com:587?from=kpi@example.com`)
 * configures every mail the product sends. The sender address comes from the URL's `from`
 * parameter, else `deskpulse@<host>`.
 */
export function createMailer(url = process.env.DESKPULSE_SMTP_URL): Mailer | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UserError("bad_smtp_url", `DESKPULSE_SMTP_URL is not a URL (${url}); write it as smtp://user:pass@host:587?from=you@example.com`);
  }
  const from = parsed.searchParams.get("from") ?? `deskpulse@${parsed.hostname}`;
  parsed.searchParams.delete("from");
  const transport: Transporter = nodemailer.createTransport(parsed.toString());
  return {
    async send(mail) {
      await transport.sendMail({ from, ...mail });
    },
    close: () => transport.close(),
  };
}
