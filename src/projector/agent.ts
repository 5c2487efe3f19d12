import { factRow } from "./rows.js";
import type { DeskEvent } from "../events/types.js";
import { canonical } from "./order.js";
import type { Facts, ProjectorContext } from "./types.js";

const AgentInterval = factRow("agent_intervals");

export function projectAgent(agentId: string, raw: DeskEvent[], ctx: ProjectorContext, out: Facts): void {
  const events = canonical(raw);
  type Stint = { status: string; start: number; team: string | null };
  const stints: Stint[] = [];
  for (const e of events) {
    const prev = stints[stints.length - 1];
    if (prev && prev.status === e.status) continue;
    stints.push({ status: e.status!, start: e.ts, team: e.team_id ?? prev?.team ?? null });
  }
  stints.forEach((st, i) => {
    out.agent_intervals.push(
      new AgentInterval({
        workspace: ctx.workspace,
        agent_id: agentId,
        status: st.status,
        start_at: st.start,
        end_at: stints[i + 1]?.start ?? null,
        team_id: st.team,
      }),
    );
  });
}
