import { getOrInit } from "../util/maps.js";

/**
 * Pushes a workspace's live snapshot to its dashboard clients after each ingested batch.
 * Batches arriving close together are coalesced (one push per `delayMs`), so a burst of
 * webhooks costs one snapshot, and a tile still changes well within a second.
 */
export class SseHub {
  private readonly clients = new Map<string, Set<(data: string) => void>>();
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly build: (workspace: string) => Promise<unknown>,
    private readonly delayMs = 100,
  ) {}

  subscribe(workspace: string, send: (data: string) => void): () => void {
    const set = getOrInit(this.clients, workspace, () => new Set<(data: string) => void>());
    set.add(send);
    return () => set.delete(send);
  }

  changed(workspace: string): void {
    if (!this.clients.get(workspace)?.size || this.pending.has(workspace)) return;
    this.pending.set(
      workspace,
      setTimeout(() => {
        this.pending.delete(workspace);
        this.build(workspace)
          .then((snap) => {
            const data = JSON.stringify(snap);
            for (const send of this.clients.get(workspace) ?? []) send(data);
          })
          .catch((err) => console.error("live snapshot failed:", err));
      }, this.delayMs),
    );
  }

  close(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    this.pending.clear();
  }
}
