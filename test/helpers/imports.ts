import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultSettings } from "../../src/config/settings.js";
import type { DeskEvent } from "../../src/events/types.js";
import { validateEvent } from "../../src/events/validate.js";
import { type ImportItem, openImport } from "../../src/ingest/source.js";
import type { ProjectorContext } from "../../src/projector/types.js";

// What the importer tests share: files written to a scratch folder, an import read to the end,
// its records as validated events, and a projector context with no enrichment.

/** A writer of scratch files in a fresh temporary folder: `file(name, text)` gives the path. */
export function scratchFiles(prefix: string): (name: string, text: string) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return (name, text) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
}

export async function readImport(path: string, opts = {}): Promise<ImportItem[]> {
  const out: ImportItem[] = [];
  for await (const it of (await openImport(path, opts)).items) out.push(it);
  return out;
}

/** The records of an import as events; a record that does not validate fails the test. */
export function importedEvents(items: ImportItem[]): DeskEvent[] {
  return items.flatMap((i) => {
    if (i.kind !== "record") return [];
    const v = validateEvent(i.record, i.position);
    if (!v.ok) throw new Error(JSON.stringify(v.rejection));
    return [v.event];
  });
}

export const plainProjectorContext: ProjectorContext = {
  workspace: "w",
  settings: defaultSettings(),
  segmentOf: () => undefined,
  ticketOf: () => undefined,
  maxValidTs: Date.parse("2027-01-01"),
};
