import { join } from "node:path";
import { SqliteStore } from "../../../src/storage/sqlite/store.js";
import { tempDir } from "../../support/tmp.js";
import { storeConformance } from "../conformance.js";

storeConformance("sqlite", async () => {
  const dir = tempDir("sqlite");
  const store = new SqliteStore({ path: join(dir.path, "state.db"), compactionIntervalMs: 0 });
  return {
    store,
    dispose: async () => {
      await store.close();
      dir.remove();
    },
  };
});
