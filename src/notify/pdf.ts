import { existsSync } from "node:fs";
import { UserError } from "../errors/user-error.js";

/**
 * Renders an HTML page to PDF with Debian's Chromium through playwright-core (never a
 * downloaded browser): the same engine that shows the dashboard prints the report, so Arabic,
 * Persian and Chinese shape and flow exactly as on screen. `CHROMIUM_PATH` overrides the path.
 */
export async function htmlToPdf(html: string): Promise<Buffer> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(executablePath))
    throw new UserError(
      "no_chromium",
      `${executablePath} is missing: install chromium (apt-get install chromium) or set CHROMIUM_PATH, or set "pdf": false on the report`,
      503,
    );
  // playwright-core is loaded only when a PDF is wanted, so a server without it still sends the rest.
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: "load" });
    return await page.pdf({ format: "A4", printBackground: true, margin: { top: "16mm", bottom: "16mm", left: "14mm", right: "14mm" } });
  } finally {
    await browser.close();
  }
}
