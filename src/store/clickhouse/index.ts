import { UserError } from "../../errors/user-error.js";
import type { Store } from "../store.js";

export async function openClickHouseStore(_opts: { url: string }): Promise<Store> {
  throw new UserError("not_implemented", "the ClickHouse store is not available in this build");
}
