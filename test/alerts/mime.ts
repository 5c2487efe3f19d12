/** Just enough MIME reading for tests: the parts of a multipart mail, decoded, and decoded headers. */
export interface Part {
  headers: string;
  filename: string | null;
  contentType: string;
  body: Buffer;
}

function decode(body: string, encoding: string): Buffer {
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64");
  if (encoding === "quoted-printable") {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
    return Buffer.from(bytes, "latin1");
  }
  return Buffer.from(body, "utf8");
}

export function parts(raw: string): Part[] {
  const out: Part[] = [];
  const boundaries = [...raw.matchAll(/boundary="?([^"\r\n;]+)"?/g)].map((m) => m[1]);
  for (const b of boundaries)
    for (const chunk of raw.split(`--${b}`).slice(1)) {
      const i = chunk.search(/\r?\n\r?\n/);
      if (i < 0) continue;
      const headers = chunk.slice(0, i);
      if (/multipart\//i.test(headers)) continue;
      const enc = /content-transfer-encoding:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase() ?? "7bit";
      out.push({
        headers,
        filename: /filename="?([^"\r\n;]+)"?/i.exec(headers)?.[1] ?? null,
        contentType: /content-type:\s*([^;\r\n]+)/i.exec(headers)?.[1]?.trim() ?? "",
        body: decode(chunk.slice(i).trim(), enc),
      });
    }
  return out;
}

/** A header's value with RFC 2047 encoded words decoded. */
export function header(raw: string, name: string): string {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/));
  const m = new RegExp(`^${name}:(.*(?:\\r?\\n[ \\t].*)*)`, "im").exec(head);
  if (!m) return "";
  return m[1]
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([BQ])\?([^?]*)\?=/gi, (_, kind, text) =>
      kind.toUpperCase() === "B" ? Buffer.from(text, "base64").toString("utf8") : decode(text.replace(/_/g, " "), "quoted-printable").toString("utf8"),
    )
    .replace(/\s*\r?\n\s*/g, " ")
    .trim();
}
