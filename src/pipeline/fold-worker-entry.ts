// The rebuild's fold worker (started by fold-worker.ts): folds each chunk it is sent, in order,
// and sends back the fact columns, their number columns transferred rather than copied.
import { parentPort, workerData } from "node:worker_threads";
import { buffersOf } from "../store/columns.js";
import { RebuildFold, type RebuildChunk, type RebuildFoldOptions } from "./fold-worker.js";

const fold = new RebuildFold(workerData as RebuildFoldOptions, "worker");
parentPort!.on("message", ({ id, chunk }: { id: number; chunk: RebuildChunk }) => {
  let folded: ReturnType<RebuildFold["fold"]>;
  try {
    folded = fold.fold(chunk);
  } catch (e) {
    parentPort!.postMessage({ id, ok: false, error: String((e as Error)?.message ?? e) });
    return;
  }
  parentPort!.postMessage(
    { id, ok: true, folded },
    folded.tables.flatMap((t) => buffersOf(t.columns)),
  );
});
