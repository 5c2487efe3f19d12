import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { once } from "node:events";
import { createInterface } from "node:readline";

/**
 * Sorts a stream of items that may not fit in memory: sorted runs of `runSize` items go to
 * temporary NDJSON files, then a k-way merge streams them back in order. Memory stays about one
 * run, whatever the input's size.
 */
export async function* externalSort<T>(items: AsyncIterable<T>, compare: (a: T, b: T) => number, runSize = 200_000): AsyncGenerator<T> {
  const dir = mkdtempSync(join(tmpdir(), "deskpulse-sort-"));
  const files: string[] = [];
  try {
    let run: T[] = [];
    const flush = async () => {
      run.sort(compare);
      const f = join(dir, `run${files.length}.ndjson`);
      const out = createWriteStream(f);
      for (const x of run) if (!out.write(`${JSON.stringify(x)}\n`)) await once(out, "drain");
      out.end();
      await once(out, "finish");
      files.push(f);
      run = [];
    };
    for await (const x of items) {
      run.push(x);
      if (run.length >= runSize) await flush();
    }
    if (files.length === 0) {
      // everything fitted in one run: no files needed
      run.sort(compare);
      yield* run;
      return;
    }
    if (run.length) await flush();
    const readers = files.map((f) => createInterface({ input: createReadStream(f), crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]());
    const heads: (T | undefined)[] = await Promise.all(
      readers.map(async (r) => {
        const n = await r.next();
        return n.done ? undefined : (JSON.parse(n.value) as T);
      }),
    );
    for (;;) {
      let best = -1;
      for (let i = 0; i < heads.length; i++) if (heads[i] !== undefined && (best < 0 || compare(heads[i]!, heads[best]!) < 0)) best = i;
      if (best < 0) break;
      yield heads[best]!;
      const n = await readers[best].next();
      heads[best] = n.done ? undefined : (JSON.parse(n.value) as T);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
