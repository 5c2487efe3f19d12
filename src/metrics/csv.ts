/** CSV out for reports and drill-downs: the project's one writer (formula cells escaped), src/util/csv-writer.ts. */
export { csvCell, toCsv } from "../util/csv-writer.js";
