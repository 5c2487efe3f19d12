import { createServer, type Server } from "node:http";
import { SMTPServer } from "smtp-server";
import { verify } from "../../src/notify/signature.js";

export interface Received {
  body: string;
  json: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  signed: boolean;
  at: number;
}

/**
 * A real HTTP receiver on a free port: records every POST, checks its signature with `secret`,
 * and answers the status `respond` gives for the n-th request (1-based).
 */
export async function startReceiver(secret: string | null, respond: (n: number) => number = () => 200) {
  const got: Received[] = [];
  const waiters: (() => void)[] = [];
  let n = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      n++;
      const body = Buffer.concat(chunks).toString("utf8");
      const status = respond(n);
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body);
      } catch {
        // kept as text
      }
      got.push({
        body,
        json,
        headers: req.headers,
        signed: secret ? verify(secret, body, req.headers["x-deskpulse-signature"] as string) : false,
        at: Date.now(),
      });
      res.writeHead(status).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    requests: () => n,
    /** resolves once `count` requests have arrived */
    async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (got.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook requests, got ${got.length}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server in this process (smtp-server), accepting any mail without auth. */
export async function startSmtp() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}?from=kpi@deskpulse.test`,
    mails,
    async waitFor(count: number, timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${mails.length}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
