import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { readCsv } from "./csv.js";
import { parseDate } from "./dates.js";
import type { ImportItem } from "./source.js";

interface Msg {
  id: string;
  parent: string | null;
  ts: number;
  author: string;
  inbound: boolean;
  position: number;
}

/** Root of each message's reply chain (the conversation id); cycles and missing parents stop at the last known message. */
function roots(msgs: Map<string, Msg>): Map<string, string> {
  const root = new Map<string, string>();
  for (const m of msgs.values()) {
    const path: string[] = [];
    let cur: Msg | undefined = m;
    const seen = new Set<string>();
    while (cur && !root.has(cur.id) && !seen.has(cur.id)) {
      seen.add(cur.id);
      path.push(cur.id);
      cur = cur.parent ? msgs.get(cur.parent) : undefined;
    }
    const r = cur && root.has(cur.id) ? root.get(cur.id)! : path[path.length - 1];
    for (const id of path) root.set(id, r);
  }
  return root;
}

/** A conversation's events: its root opens the ticket, every message is a message by the customer (inbound) or an agent. */
function* conversationEvents(msgs: Map<string, Msg>, source: string): Generator<ImportItem> {
  const root = roots(msgs);
  const opened = new Set<string>();
  for (const m of [...msgs.values()].sort((a, b) => a.ts - b.ts || a.position - b.position)) {
    const ticket = `${source}-${root.get(m.id)}`;
    if (!opened.has(ticket)) {
      opened.add(ticket);
      const first = msgs.get(root.get(m.id)!)!;
      yield {
        kind: "record",
        position: first.position,
        record: {
          id: `${ticket}-created`,
          type: "ticket.created",
          ts: first.ts,
          ticket_id: ticket,
          channel: source === "mbox" ? "email" : "social",
          created_by: first.inbound ? "customer" : "agent",
          customer_id: first.inbound ? first.author : undefined,
          source,
        },
      };
    }
    yield {
      kind: "record",
      position: m.position,
      record: {
        id: `${source}-msg-${m.id}`,
        type: "message.created",
        ts: m.ts,
        ticket_id: ticket,
        author_type: m.inbound ? "customer" : "agent",
        agent_id: m.inbound ? undefined : m.author,
        public: true,
        source,
      },
    };
  }
}

/**
 * Threaded messages without a conversation id (social replies such as the "Customer Support on
 * Twitter" export: tweet_id, author_id, inbound, created_at, in_response_to_tweet_id): the reply
 * chain is followed to its root, which becomes the ticket. The reply graph is held in memory
 * (about 100 bytes per message); the messages themselves are streamed.
 */
export async function* threadedCsv(path: string): AsyncGenerator<ImportItem> {
  const msgs = new Map<string, Msg>();
  let header: string[] | null = null;
  const stream = createReadStream(path);
  stream.setEncoding("utf8");
  for await (const r of readCsv(stream as AsyncIterable<string>)) {
    if (!header) {
      header = r.cells.map((h) => h.trim().toLowerCase());
      continue;
    }
    if (r.error) {
      yield { kind: "reject", position: r.row, field: "", reason: `row ${r.row} ${r.error}`, raw: r.raw };
      continue;
    }
    const v = (k: string) => r.cells[header!.indexOf(k)] ?? "";
    const id = v("tweet_id") || v("message_id") || v("id");
    const ts = parseDate(v("created_at"), /^[A-Z][a-z]{2} /.test(v("created_at")) ? "twitter" : "iso", "UTC");
    if (!id || Number.isNaN(ts)) {
      yield {
        kind: "reject",
        position: r.row,
        field: !id ? "tweet_id" : "created_at",
        reason: !id ? `row ${r.row} has no message id` : `row ${r.row}: "${v("created_at")}" is not a time`,
        raw: r.raw,
      };
      continue;
    }
    const inbound = /^(true|1|yes)$/i.test(v("inbound"));
    const parent = (v("in_response_to_tweet_id") || v("in_reply_to") || "").replace(/\.0$/, "") || null;
    msgs.set(id, { id, parent, ts, author: v("author_id"), inbound, position: r.row });
  }
  yield* conversationEvents(msgs, "thread");
}

/** An mbox file: messages threaded by Message-ID / In-Reply-To / References; agents known by address or @domain. */
export async function* mbox(path: string, agents: string[]): AsyncGenerator<ImportItem> {
  const msgs = new Map<string, Msg>();
  const isAgent = (addr: string) => agents.some((a) => (a.startsWith("@") ? addr.endsWith(a.toLowerCase()) : addr === a.toLowerCase()));
  let headers: string[] = [];
  let inHeaders = false;
  let line = 0;
  let start = 0;
  const finish = () => {
    if (headers.length === 0) return null;
    const h = (name: string) => {
      const i = headers.findIndex((x) => x.toLowerCase().startsWith(`${name.toLowerCase()}:`));
      return i < 0 ? "" : headers[i].slice(name.length + 1).trim();
    };
    const id = h("Message-ID").replace(/[<>]/g, "");
    const refs = h("References").split(/\s+/).filter(Boolean);
    const parent = (h("In-Reply-To") || refs[refs.length - 1] || "").replace(/[<>]/g, "") || null;
    const from = (/<([^>]+)>/.exec(h("From"))?.[1] ?? h("From")).toLowerCase();
    const ts = Date.parse(h("Date"));
    headers = [];
    if (!id || Number.isNaN(ts))
      return {
        kind: "reject" as const,
        position: start,
        field: !id ? "Message-ID" : "Date",
        reason: `message at line ${start}: ${!id ? "no Message-ID" : `Date "${h("Date")}" is not a date`}`,
        raw: "",
      };
    msgs.set(id, { id, parent, ts, author: from, inbound: !isAgent(from), position: start });
    return null;
  };
  for await (const text of createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (text.startsWith("From ")) {
      const bad = finish();
      if (bad) yield bad;
      inHeaders = true;
      start = line;
      continue;
    }
    if (!inHeaders) continue;
    if (text === "") inHeaders = false;
    else if (/^\s/.test(text) && headers.length) headers[headers.length - 1] += ` ${text.trim()}`;
    else headers.push(text);
  }
  const bad = finish();
  if (bad) yield bad;
  yield* conversationEvents(msgs, "mbox");
}
