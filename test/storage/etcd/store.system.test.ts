// System suite: needs Debian's etcd-server (/usr/bin/etcd), started on loopback.
import { EtcdStore } from "../../../src/storage/etcd/store.js";
import { startEtcd } from "../../support/etcd.js";
import { storeConformance } from "../conformance.js";

storeConformance("etcd", async () => {
  const etcd = await startEtcd();
  const store = new EtcdStore({ endpoints: [etcd.endpoint] });
  return {
    store,
    dispose: async () => {
      await store.close();
      await etcd.stop();
    },
  };
});
