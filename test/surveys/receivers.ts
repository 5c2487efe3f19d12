import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  raw: string;
}

/** Decodes one MIME part's body by its transfer encoding. */
function decodePart(headers: string, body: string): string {
  const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
  if (enc === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (enc === "quoted-printable") {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => `%${h}`);
    return decodeURIComponent(bytes.replace(/%(?![0-9A-F]{2})/gi, "%25"));
  }
  return body;
}

function decodeHeader(v: string): string {
  return v.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, kind: string, data: string) =>
    kind.toLowerCase() === "b" ? Buffer.from(data, "base64").toString("utf8") : decodeURIComponent(data.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, "%$1")),
  );
}

/** A minimal reading of what nodemailer sends: subject, and the text and html of multipart/alternative. */
export function parseMail(raw: string, to: string[]): ReceivedMail {
  const [head] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, " ");
  const subject = decodeHeader(/^subject:\s*(.*)$/im.exec(unfolded)?.[1] ?? "");
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(unfolded)?.[1];
  let text = "";
  let html = "";
  const parts = boundary ? raw.split(`--${boundary}`).slice(1, -1) : [raw.slice(head.length)];
  for (const part of parts) {
    const at = part.search(/\r?\n\r?\n/);
    const headers = part.slice(0, at);
    const body = decodePart(headers, part.slice(at).trim());
    if (/content-type:\s*text\/html/i.test(headers)) html = body;
    else if (/content-type:\s*text\/plain/i.test(headers)) text = body;
  }
  return { to, subject, text, html, raw };
}

/** A real SMTP server on a free port that keeps every mail it receives. */
export async function startSmtp(): Promise<{
  port: number;
  url: string;
  mails: ReceivedMail[];
  waitFor(pred: (m: ReceivedMail) => boolean, ms?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push(
          parseMail(
            Buffer.concat(chunks).toString("utf8"),
            session.envelope.rcptTo.map((r) => r.address),
          ),
        );
        done();
      });
    },
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}?from=support@example.com`,
    mails,
    async waitFor(pred, ms = 15_000) {
      const until = Date.now() + ms;
      for (;;) {
        const m = mails.find(pred);
        if (m) return m;
        if (Date.now() > until) throw new Error(`no such mail within ${ms} ms; got: ${mails.map((x) => `${x.to} ${x.subject}`).join(" | ")}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}

export interface Hook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local HTTP receiver for outbound webhooks. */
export async function startReceiver(): Promise<{ url: string; hooks: Hook[]; waitFor(n: number, ms?: number): Promise<void>; close(): Promise<void> }> {
  const hooks: Hook[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      hooks.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((res) => server.listen(0, "127.0.0.1", () => res()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    hooks,
    async waitFor(n, ms = 15_000) {
      const until = Date.now() + ms;
      while (hooks.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} webhooks, got ${hooks.length}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}
