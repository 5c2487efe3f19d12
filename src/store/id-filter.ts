/**
 * "Have we stored this event id already?" in memory, cheaply: a set of 53-bit hashes of the ids.
 * A miss is certain (the id is new: no database round trip); a hit is only "maybe" and is
 * confirmed against the log. About 40 bytes per event instead of the id strings themselves.
 */
export class IdFilter {
  private readonly hashes = new Set<number>();

  add(id: string): void {
    this.hashes.add(hash53(id));
  }

  mayContain(id: string): boolean {
    return this.hashes.has(hash53(id));
  }

  get size(): number {
    return this.hashes.size;
  }
}

/** Two independent 32-bit FNV-1a style hashes folded into one safe integer. */
export function hash53(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 >>>= 0;
  h2 >>>= 0;
  return (h2 & 0x1fffff) * 0x100000000 + h1;
}
