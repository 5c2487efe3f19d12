import { registerDialect } from "../../metrics/dialects/index.js";
import { clickhouseDialect } from "../../metrics/dialects/clickhouse.js";

registerDialect(clickhouseDialect);

export { ClickHouseStore, openClickHouseStore, parseTarget } from "./clickhouse-store.js";
