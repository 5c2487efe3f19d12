import { randomUUID } from "node:crypto";
import { type Clock, systemClock } from "../alerts/clock.js";
import type { Store } from "../store/store.js";
import type { Mail, Mailer } from "./mailer.js";
import { JsonRecords } from "./records.js";
import { RetryQueue } from "./retry-queue.js";
import { SIGNATURE_HEADER, sign } from "./signature.js";

/** One message on its way out: a signed JSON POST, or a mail. */
export interface Delivery {
  id: string;
  workspace: string;
  /** who asked for it, e.g. "alert:rule_1a2b", "report:weekly", "survey:invite" */
  origin: string;
  channel: "webhook" | "email";
  url?: string;
  /** the exact bytes POSTed (signed as they are) */
  body?: string;
  secret?: string;
  mail?: Mail;
  attempts: number;
  created_at: number;
  next_at: number;
  last_error?: string;
}

export interface DeadLetter extends Omit<Delivery, "secret" | "mail"> {
  failed_at: number;
  mail?: { to: string | string[]; subject: string };
}

export interface OutboxOptions {
  clock?: Clock;
  mailer?: Mailer | null;
  store?: Store;
  /** attempts before a delivery goes to the dead-letter list (default 6) */
  maxAttempts?: number;
  /** wait before attempt n+1 after n failures (default 1 s · 2^(n−1), capped at 5 min) */
  backoffMs?: (failures: number) => number;
  /** per-request time limit (default 10 s) */
  timeoutMs?: number;
}

const defaultBackoff = (n: number) => Math.min(1000 * 2 ** (n - 1), 300_000);

/** Statuses that will not get better by retrying: the receiver rejected the message itself. */
const permanent = (status: number) => status >= 400 && status < 500 && status !== 408 && status !== 429;

/**
 * The one way Deskpulse sends things out: alert notifications, scheduled reports and survey
 * webhooks all go through here, so they are signed the same way, retried with the same
 * back-off, and end in the same dead-letter list (`GET /api/v1/outbox/dead-letters`).
 *
 * Webhooks are `POST` with `content-type: application/json`, `x-deskpulse-delivery: <id>`
 * (the same on every retry, so receivers can drop duplicates) and, when the destination has a
 * secret, `x-deskpulse-signature: sha256=<hex HMAC-SHA256 of the raw body>`.
 */
export class Outbox {
  private readonly clock: Clock;
  private readonly mailer: Mailer | null;
  private readonly maxAttempts: number;
  private readonly backoff: (n: number) => number;
  private readonly timeoutMs: number;
  private readonly dead: JsonRecords<DeadLetter> | null;
  /** webhooks waiting for a retry, in the store (mails wait in memory: their attachments stay out of the database) */
  private readonly waiting: RetryQueue | null;
  private resumed = false;
  private readonly deadMemory = new Map<string, DeadLetter[]>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers = new Map<string, () => void>();
  private closed = false;
  private readonly listeners: ((d: Delivery, outcome: "sent" | "retry" | "dead") => void)[] = [];

  constructor(opts: OutboxOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.mailer = opts.mailer ?? null;
    this.maxAttempts = opts.maxAttempts ?? 6;
    this.backoff = opts.backoffMs ?? defaultBackoff;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.dead = opts.store ? new JsonRecords<DeadLetter>(opts.store, "outbox_dead") : null;
    this.waiting = opts.store ? new RetryQueue(opts.store) : null;
  }

  /**
   * Takes up the webhooks an earlier process left waiting for a retry, each at its due time with
   * the attempts it has left. Once per process, where deliveries are sent (the server), so that a
   * CLI one-shot does not send them too. Returns how many there were.
   */
  async resume(): Promise<number> {
    if (!this.waiting || this.resumed) return 0;
    this.resumed = true;
    const list = await this.waiting.all();
    for (const d of list) {
      // a crash between the dead letter and the queue's removal: finish burying it
      if (d.attempts >= this.maxAttempts) this.track(this.bury(d));
      else this.retryAt(d);
    }
    return list.length;
  }

  /** Told after every attempt (tests and metrics listen). */
  onAttempt(l: (d: Delivery, outcome: "sent" | "retry" | "dead") => void): void {
    this.listeners.push(l);
  }

  /** Queues a JSON POST to `url`, signed with `secret` when one is given. Returns the delivery id. */
  enqueueWebhook(workspace: string, url: string, payload: unknown, opts: { secret?: string; origin?: string } = {}): string {
    return this.push({ workspace, origin: opts.origin ?? "webhook", channel: "webhook", url, body: JSON.stringify(payload), secret: opts.secret });
  }

  /** Queues a mail through the SMTP mailer (DESKPULSE_SMTP_URL); dead-lettered at once when no mailer is configured. */
  enqueueMail(workspace: string, mail: Mail, origin = "mail"): string {
    return this.push({ workspace, origin, channel: "email", mail });
  }

  private push(d: Omit<Delivery, "id" | "attempts" | "created_at" | "next_at">): string {
    const now = this.clock.now();
    const delivery: Delivery = { ...d, id: randomUUID(), attempts: 0, created_at: now, next_at: now };
    this.track(this.attempt(delivery));
    return delivery.id;
  }

  private track(p: Promise<void>): void {
    this.inFlight.add(p);
    p.finally(() => this.inFlight.delete(p));
  }

  private async attempt(d: Delivery): Promise<void> {
    if (this.closed) return;
    d.attempts++;
    let error: string | null = null;
    let giveUp = false;
    try {
      if (d.channel === "email") {
        if (!this.mailer) {
          error = "no mailer: set DESKPULSE_SMTP_URL (e.g. smtp://user:pass@mail.example.com:587?from=kpi@example.com)";
          giveUp = true;
        } else await this.mailer.send(d.mail!);
      } else {
        const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Deskpulse", "x-deskpulse-delivery": d.id };
        if (d.secret) headers[SIGNATURE_HEADER] = sign(d.secret, d.body!);
        const res = await fetch(d.url!, { method: "POST", headers, body: d.body, signal: AbortSignal.timeout(this.timeoutMs) });
        await res.arrayBuffer().catch(() => undefined);
        if (!res.ok) {
          error = `HTTP ${res.status} from ${d.url}`;
          giveUp = permanent(res.status);
        }
      }
    } catch (e) {
      error = `${(e as Error).message}${(e as { cause?: Error }).cause ? `: ${(e as { cause: Error }).cause.message}` : ""}`;
    }
    if (error === null) {
      for (const l of this.listeners) l(d, "sent");
      await this.unqueue(d);
      return;
    }
    d.last_error = error;
    if (giveUp || d.attempts >= this.maxAttempts) {
      for (const l of this.listeners) l(d, "dead");
      await this.bury(d);
      return;
    }
    d.next_at = this.clock.now() + this.backoff(d.attempts);
    for (const l of this.listeners) l(d, "retry");
    // stored before the wait begins: a restart from here on retries it
    if (this.durable(d)) await this.waiting!.save(d).catch((e) => console.error("could not keep a webhook for its retry:", e));
    this.retryAt(d);
  }

  private retryAt(d: Delivery): void {
    const cancel = this.clock.at(d.next_at, () => {
      this.timers.delete(d.id);
      this.track(this.attempt(d));
    });
    this.timers.set(d.id, cancel);
  }

  /** Webhooks wait for their retries in the store. */
  private durable(d: Delivery): boolean {
    return this.waiting !== null && d.channel === "webhook";
  }

  /** Done with a delivery (sent or dead): out of the store's queue, if a failed attempt put it there. */
  private async unqueue(d: Delivery): Promise<void> {
    if (this.durable(d) && d.attempts > 1) await this.waiting!.remove(d).catch((e) => console.error("could not clear a sent webhook from the retry queue:", e));
  }

  private async bury(d: Delivery): Promise<void> {
    const { secret: _s, mail, ...rest } = d;
    const letter: DeadLetter = { ...rest, failed_at: this.clock.now(), ...(mail ? { mail: { to: mail.to, subject: mail.subject } } : {}) };
    const list = this.deadMemory.get(d.workspace) ?? [];
    list.push(letter);
    this.deadMemory.set(d.workspace, list);
    await this.dead?.put(d.workspace, d.id, letter, letter.failed_at).catch((e) => console.error("could not keep a dead letter:", e));
    await this.unqueue(d);
  }

  /** Deliveries that failed for good, newest first. */
  async deadLetters(workspace: string): Promise<DeadLetter[]> {
    const all = this.dead ? await this.dead.list(workspace) : (this.deadMemory.get(workspace) ?? []);
    return [...all].sort((a, b) => b.failed_at - a.failed_at);
  }

  /** Deliveries waiting for a retry in this process. */
  pending(): number {
    return this.timers.size;
  }

  /** Resolves when no attempt is running (retries waiting on the clock do not count). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  close(): void {
    this.closed = true;
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.mailer?.close();
  }
}
