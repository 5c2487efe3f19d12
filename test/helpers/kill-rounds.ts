import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { Runtime } from "../../src/runtime.js";
import { api, startTestServer } from "./server.js";

/** What one kill -9 round found in the store after the restart caught up. */
export interface RoundResult {
  /** event ids acknowledged so far (all rounds) */
  acked: number;
  /** of them, in the log */
  stored: number;
  /** acknowledged tickets, and of them with a row in ticket_facts */
  ackedTickets: number;
  projected: number;
  /** rows beyond one per event id / ticket id */
  duplicateEvents: number;
  duplicateFacts: number;
  /** the log's positions are 1…n without a gap and the checkpoint is n */
  logEnd: number;
  checkpoint: number;
  /** a rebuild ran on restart (it must not be needed) */
  rebuilt: boolean;
}

function killed(proc: ChildProcess): Promise<void> {
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  proc.kill("SIGKILL");
  return exited;
}

/**
 * One round: a server on `dataDir` takes sustained ingest from `clients` clients (batches of
 * `batch` events: half ticket.created, half a customer message) and is killed with SIGKILL after
 * `ingestMs` while batches are in flight. The store is then reopened and left to catch up on its
 * own (no rebuild, no client retry), and every acknowledged event id and ticket is looked for.
 */
export async function killRound(
  dataDir: string,
  round: number,
  ackedEvents: Set<string>,
  ackedTickets: Set<string>,
  opts = { clients: 4, batch: 200, ingestMs: 700 },
): Promise<RoundResult> {
  const s = await startTestServer({ dataDir });
  let stop = false;
  let n = 0;
  const client = async (c: number) => {
    while (!stop) {
      const tickets: string[] = [];
      const events: object[] = [];
      const b = n++;
      for (let i = 0; i < opts.batch / 2; i++) {
        const t = `R${round}-C${c}-B${b}-T${i}`;
        tickets.push(t);
        events.push({ id: `${t}-c`, type: "ticket.created", ts: "2026-03-02T09:00:00Z", ticket_id: t, channel: "chat" });
        events.push({ id: `${t}-m`, type: "message.created", ts: "2026-03-02T09:01:00Z", ticket_id: t, author_type: "customer" });
      }
      try {
        const r = await api(s, s.adminKey, "/api/v1/events", { method: "POST", body: JSON.stringify(events) });
        if (r.status !== 200) throw new Error(`status ${r.status}: ${await r.text()}`);
        const body = (await r.json()) as { stored: number; duplicates: number };
        if (body.stored + body.duplicates !== events.length) throw new Error(`acknowledged ${JSON.stringify(body)} for ${events.length} events`);
        for (const e of events) ackedEvents.add((e as { id: string }).id);
        for (const t of tickets) ackedTickets.add(t);
      } catch (e) {
        if (!stop) throw e;
        return; // killed mid-request: not acknowledged
      }
    }
  };
  const running = Promise.all(Array.from({ length: opts.clients }, (_, c) => client(c)));
  await new Promise((r) => setTimeout(r, opts.ingestMs));
  stop = true;
  await killed(s.proc);
  await running;

  // The restart: the store reopened by the runtime, which resumes projecting from its checkpoint
  // (as `deskpulse serve` does on start); then the store itself is read.
  const rt = await Runtime.open(join(dataDir, "deskpulse.duckdb"));
  const store = rt.store;
  await rt.follower.caughtUp("default");
  const rebuilt = (await rt.follower.status("default")).last_rebuild !== null;
  try {
    const ids = new Set((await store.query<{ id: string }>("SELECT id FROM events WHERE workspace = 'default'")).map((r) => r.id));
    const facts = new Set((await store.query<{ t: string }>("SELECT ticket_id AS t FROM ticket_facts WHERE workspace = 'default'")).map((r) => r.t));
    const [ev] = await store.query<{ n: number; d: number; p: number; maxp: number }>(
      "SELECT count(*) AS n, count(DISTINCT id) AS d, count(DISTINCT pos) AS p, coalesce(max(pos), 0) AS maxp FROM events WHERE workspace = 'default'",
    );
    const [tf] = await store.query<{ n: number; d: number }>(
      "SELECT count(*) AS n, count(DISTINCT ticket_id) AS d FROM ticket_facts WHERE workspace = 'default'",
    );
    let stored = 0;
    for (const id of ackedEvents) if (ids.has(id)) stored++;
    let projected = 0;
    for (const t of ackedTickets) if (facts.has(t)) projected++;
    return {
      acked: ackedEvents.size,
      stored,
      ackedTickets: ackedTickets.size,
      projected,
      duplicateEvents: ev.n - ev.d,
      duplicateFacts: tf.n - tf.d,
      logEnd: ev.p === ev.n && ev.maxp === ev.n ? ev.maxp : -1,
      checkpoint: await store.checkpoint("default"),
      rebuilt,
    };
  } finally {
    await rt.close();
  }
}
