import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import type { AppEnv, ServerDeps } from "./context.js";
import { scope } from "./scope.js";

/** The live snapshot, and the same as server-sent events pushed after each batch. */
export function liveRoutes(deps: ServerDeps): Hono<AppEnv> {
  const { rt } = deps;
  const r = new Hono<AppEnv>();
  r.get("/live", scope("read"), async (c) => c.json(await rt.live.snapshot(c.get("caller").workspace)));
  r.get("/live/stream", scope("read"), (c) => {
    const caller = c.get("caller");
    return streamSSE(c, async (stream) => {
      let closed = false;
      const queue: string[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = rt.hub.subscribe(caller.workspace, (data) => {
        queue.push(data);
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: "live", data: JSON.stringify(await rt.live.snapshot(caller.workspace)) });
      while (!closed) {
        if (queue.length === 0) {
          // A comment line every 15 s keeps proxies from closing an idle stream.
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 15_000);
          });
          wake = null;
          if (queue.length === 0 && !closed) await stream.write(": keep-alive\n\n");
          continue;
        }
        const data = queue.splice(0).pop()!;
        await stream.writeSSE({ event: "live", data });
      }
    });
  });
  return r;
}
