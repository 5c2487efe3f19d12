import type { DuckDbStore } from "../src/store/duckdb/duckdb-store.js";

/** N ticket facts straight from DuckDB SQL (hash-derived, reproducible), for the metric benchmarks. */
export async function generateTicketFacts(store: DuckDbStore, tickets: number, Y: number, YEAR: number, start = 0): Promise<void> {
  // Ticket facts straight from SQL (hash-derived, reproducible): one year, five channels, ~85% replied, ~80% solved.
  await store.exec(`INSERT INTO ticket_facts (workspace, ticket_id, created_at, channel, priority, team_id, agent_id, topic, status, is_open,
    first_reply_at, frt_s, frt_bs, first_solved_at, last_solved_at, res_first_s, res_first_bs, res_full_s, res_full_bs, reopens, transfers,
    agent_replies, fcr, fcr_eligible, sla_policy, sla_frt_met, sla_res_met, sla_nrt_met_n, sla_nrt_n, channel_target_met, bot_handled, bot_resolved)
  SELECT 'w', 'T' || i, c, ['email','chat','phone','web','social'][1 + (hash(i) % 5)::INT], ['low','normal','high','urgent'][1 + (hash(i+1) % 4)::INT],
    't' || (hash(i+2) % 4), 'a' || (hash(i+3) % 25), 'topic' || (hash(i+4) % 10), CASE WHEN s THEN 'solved' ELSE 'open' END, NOT s,
    CASE WHEN r THEN c + frt * 1000 END, CASE WHEN r THEN frt END, CASE WHEN r THEN frt * 0.4 END,
    CASE WHEN s THEN c + res * 1000 END, CASE WHEN s THEN c + res * 1100 END, CASE WHEN s THEN res END, CASE WHEN s THEN res * 0.4 END,
    CASE WHEN s THEN res * 1.1 END, CASE WHEN s THEN res * 0.45 END, (hash(i+5) % 12 = 0)::INT, (hash(i+6) % 9 = 0)::INT, 1 + (hash(i+7) % 4)::INT,
    s AND hash(i+8) % 2 = 0, s, 'standard', CASE WHEN r THEN frt < 14400 END, CASE WHEN s THEN res < 86400 END, 0, 0,
    CASE WHEN r THEN frt < 3600 END, hash(i+9) % 5 = 0, hash(i+9) % 15 = 0
  FROM (SELECT i, ${Y} + (hash(i+10) % ${YEAR})::BIGINT AS c, hash(i+11) % 100 < 85 AS r, hash(i+12) % 100 < 80 AS s,
    (60 + hash(i+13) % 36000)::DOUBLE AS frt, (600 + hash(i+14) % 300000)::DOUBLE AS res FROM range(${start}, ${start + tickets}) t(i))`);
}
