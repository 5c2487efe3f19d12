/**
 * Message bodies for chat tools' incoming webhooks, from one plain description: Slack
 * (`text` plus Block Kit sections) and Microsoft Teams (a MessageCard, which Teams' incoming
 * webhooks and Power Automate workflows both accept).
 */
export interface ChatMessage {
  title: string;
  lines: string[];
  /** "firing" reads as red, "resolved" as green, anything else neutral */
  tone?: "firing" | "resolved" | "info";
  link?: { label: string; url: string };
}

const COLOR = { firing: "D93F0B", resolved: "2DA44E", info: "0969DA" };

export function slackBody(m: ChatMessage): Record<string, unknown> {
  const text = [`*${m.title}*`, ...m.lines].join("\n");
  return {
    text: `${m.title}\n${m.lines.join("\n")}`,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      ...(m.link ? [{ type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: m.link.label }, url: m.link.url }] }] : []),
    ],
  };
}

export function teamsBody(m: ChatMessage): Record<string, unknown> {
  return {
    "@type": "MessageCard",
    "@context": "https://schema.org/extensions",
    summary: m.title,
    themeColor: COLOR[m.tone ?? "info"],
    title: m.title,
    text: m.lines.join("<br>"),
    ...(m.link ? { potentialAction: [{ "@type": "OpenUri", name: m.link.label, targets: [{ os: "default", uri: m.link.url }] }] } : {}),
  };
}
