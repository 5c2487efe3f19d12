/** A one-line progress bar on stderr (a plain line every few seconds when stderr is not a terminal). */
export class Progress {
  private last = 0;
  private readonly t0 = performance.now();
  constructor(private readonly label: string) {}

  update(done: number, unit: string, fraction?: number): void {
    const now = performance.now();
    const tty = process.stderr.isTTY;
    if (now - this.last < (tty ? 100 : 5000)) return;
    this.last = now;
    const secs = (now - this.t0) / 1000;
    const rate = done / Math.max(secs, 0.001);
    let line = `${this.label}: ${done.toLocaleString("en-US")} ${unit} (${Math.round(rate).toLocaleString("en-US")}/s)`;
    if (fraction !== undefined && fraction > 0) {
      const width = 24;
      const filled = Math.min(width, Math.round(fraction * width));
      const eta = secs / fraction - secs;
      line = `${this.label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(fraction * 100).toFixed(1)}% ${done.toLocaleString("en-US")} ${unit}, ${Math.round(rate).toLocaleString("en-US")}/s, ETA ${Math.max(0, Math.round(eta))}s`;
    }
    process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  done(): void {
    if (process.stderr.isTTY) process.stderr.write("\n");
  }
}
