export { ClickHouseStore, openClickHouseStore, parseTarget } from "./clickhouse-store.js";
