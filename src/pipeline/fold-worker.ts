import { Worker } from "node:worker_threads";
import type { WorkspaceSettings } from "../config/settings.js";
import type { DeskEvent } from "../events/types.js";
import { project, ticketDimsOf } from "../projector/index.js";
import { FACT_TABLES, type Facts, type ProjectorContext, type TicketDims } from "../projector/types.js";
import { type Columns, columnsOf } from "../store/columns.js";
import { table } from "../store/schema.js";
import { foldSafely, type Quarantined } from "./fold.js";

/** What a rebuild folds: the events of whole entities, or their JSON array as the store read it. */
export type RebuildChunk = DeskEvent[] | string;

/** A chunk's events, parsed if it came as text. */
export function chunkEvents(chunk: RebuildChunk): DeskEvent[] {
  return typeof chunk === "string" ? (JSON.parse(chunk) as DeskEvent[]) : chunk;
}

/** One chunk folded: its fact rows per table, column-major, and what it quarantined. */
export interface FoldedChunk {
  events: number;
  tables: { name: string; columns: Columns }[];
  quarantined: Quarantined[];
}

export interface RebuildFoldOptions {
  workspace: string;
  settings: WorkspaceSettings;
  /** instants after this are out of range (the projector's maxValidTs, fixed for the whole rebuild) */
  maxValidTs: number;
}

/**
 * The fold of one rebuild, chunk after chunk in entity order (customers, tickets, …): what it has
 * folded so far (customers' segments, tickets' dimensions) is what later chunks copy. The same
 * code runs in the rebuild's worker thread and, when there is none, on the calling thread.
 */
export class RebuildFold {
  private readonly segments = new Map<string, string>();
  private readonly tickets = new Map<string, TicketDims>();
  private readonly ctx: ProjectorContext;
  /** text columns packed for the trip to another thread (in the worker), left as they are here */
  private readonly packText: boolean;

  constructor(opts: RebuildFoldOptions, where: ChunkFolder["where"] = "thread") {
    this.packText = where === "worker";
    this.ctx = {
      workspace: opts.workspace,
      settings: opts.settings,
      maxValidTs: opts.maxValidTs,
      segmentOf: (id) => this.segments.get(id),
      ticketOf: (id) => this.tickets.get(id),
    };
  }

  fold(chunk: RebuildChunk): FoldedChunk {
    const events = chunkEvents(chunk);
    let facts: Facts;
    let quarantined: Quarantined[] = [];
    let tables: FoldedChunk["tables"];
    try {
      // what foldSafely tries first (one `project`, every number storable: columnsOf checks them
      // as it reads them), without reading the rows twice
      facts = project(events, this.ctx);
      tables = columnsOfFacts(facts, this.packText);
    } catch {
      ({ facts, quarantined } = foldSafely(events, this.ctx));
      tables = columnsOfFacts(facts, this.packText);
    }
    for (const r of facts.customer_facts) if (r.segment) this.segments.set(r.customer_id as string, r.segment as string);
    for (const r of facts.ticket_facts) this.tickets.set(r.ticket_id as string, ticketDimsOf(r));
    return { events: events.length, tables, quarantined };
  }
}

function columnsOfFacts(facts: Facts, packText: boolean): FoldedChunk["tables"] {
  const tables: FoldedChunk["tables"] = [];
  for (const name of FACT_TABLES) if (facts[name].length) tables.push({ name, columns: columnsOf(table(name), facts[name], { packText }) });
  return tables;
}

/** Where a rebuild's chunks are folded; answers come in the order the chunks were given. */
export interface ChunkFolder {
  readonly where: "worker" | "thread";
  fold(chunk: RebuildChunk): Promise<FoldedChunk>;
  close(): Promise<void>;
}

/**
 * V8's young generation of the fold worker, in MB. A chunk's events and fact rows die young; in a
 * small young generation too many survive a scavenge and are copied: the worker folds ~25 % more
 * events per second at 128–192 MB than at 32 (`bench/projector-replay.ts --young 32,64,128,192`).
 * Sized for the fold alone, so the server's own heap keeps its defaults.
 */
export const FOLD_YOUNG_GENERATION_MB = 192;

/**
 * Where to fold: in a worker when asked, on the calling thread otherwise or when the worker cannot
 * start. The facts are the same either way.
 */
export async function openFolder(opts: RebuildFoldOptions, where: "worker" | "thread"): Promise<ChunkFolder> {
  if (where === "worker")
    try {
      return await workerFolder(opts);
    } catch {
      // no worker (resource limits, a sandbox): the same fold, here
    }
  return threadFolder(opts);
}

/** A fold on the calling thread (the default: projection.ts DEFAULT_FOLD says why). */
export function threadFolder(opts: RebuildFoldOptions): ChunkFolder {
  const fold = new RebuildFold(opts, "thread");
  return {
    where: "thread",
    fold: async (chunk) => {
      // a turn of the event loop between chunks: the server keeps answering during a rebuild
      await new Promise((r) => setImmediate(r));
      return fold.fold(chunk);
    },
    close: async () => undefined,
  };
}

type Reply = { id: number; ok: true; folded: FoldedChunk } | { id: number; ok: false; error: string };

/**
 * The fold in a worker thread of its own (young generation `youngMb`), so the Node thread of a
 * rebuild only reads the log and appends rows while the worker folds the next chunks. Resolves
 * once the worker runs; rejects if it cannot start. If the worker dies or throws, every chunk
 * still waiting for it is rejected (the rebuild fails and the old facts stay).
 */
export function workerFolder(opts: RebuildFoldOptions, youngMb = FOLD_YOUNG_GENERATION_MB): Promise<ChunkFolder> {
  const worker = new Worker(new URL("./fold-worker-entry.js", import.meta.url), {
    workerData: opts,
    resourceLimits: { maxYoungGenerationSizeMb: youngMb },
  });
  const waiting = new Map<number, { resolve: (f: FoldedChunk) => void; reject: (e: Error) => void }>();
  let next = 0;
  let failure: Error | null = null;
  const failAll = (e: Error) => {
    failure ??= e;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  worker.on("message", (m: Reply) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.ok) w.resolve(m.folded);
    else w.reject(new Error(`the rebuild's fold failed: ${m.error}`));
  });
  worker.on("error", (e) => failAll(new Error(`the rebuild's fold worker failed: ${e.message}`)));
  worker.on("exit", (code) => failAll(new Error(`the rebuild's fold worker stopped (exit code ${code})`)));
  const folder: ChunkFolder = {
    where: "worker",
    fold: (chunk) =>
      new Promise<FoldedChunk>((resolve, reject) => {
        if (failure) return reject(failure);
        const id = next++;
        waiting.set(id, { resolve, reject });
        worker.postMessage({ id, chunk });
      }),
    close: async () => {
      failure ??= new Error("the rebuild's fold worker was closed");
      await worker.terminate();
    },
  };
  return new Promise((resolve, reject) => {
    worker.once("online", () => resolve(folder));
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`the rebuild's fold worker stopped (exit code ${code})`)));
  });
}
