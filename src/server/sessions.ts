import { randomBytes } from "node:crypto";
import type { Caller } from "./context.js";

/**
 * Dashboard sign-ins. The cookie carries a random session id, never the key: a leaked cookie
 * expires (DESKPULSE_SESSION_HOURS, default 12) and is revoked by signing out or by revoking the
 * key it was opened with. Sessions live in the server's memory, so a restart signs everyone out.
 */
export class Sessions {
  private readonly byId = new Map<string, { caller: Caller; expires: number }>();
  constructor(
    readonly ttlMs = Number(process.env.DESKPULSE_SESSION_HOURS ?? 12) * 3_600_000,
    private readonly max = 10_000,
  ) {}

  open(caller: Caller): { id: string; expires: number } {
    this.sweep();
    // Oldest first out when full: a flood of sign-ins cannot grow memory without bound.
    while (this.byId.size >= this.max) this.byId.delete(this.byId.keys().next().value!);
    const id = randomBytes(32).toString("base64url");
    const expires = Date.now() + this.ttlMs;
    this.byId.set(id, { caller, expires });
    return { id, expires };
  }

  get(id: string): Caller | null {
    const s = this.byId.get(id);
    if (!s) return null;
    if (s.expires <= Date.now()) {
      this.byId.delete(id);
      return null;
    }
    return s.caller;
  }

  close(id: string): void {
    this.byId.delete(id);
  }

  /** Ends every session opened with the key (after it is revoked). */
  closeKey(workspace: string, keyId: string): void {
    for (const [id, s] of this.byId) if (s.caller.workspace === workspace && s.caller.key_id === keyId) this.byId.delete(id);
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.byId) if (s.expires <= now) this.byId.delete(id);
  }
}
