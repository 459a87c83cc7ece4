import { startApiServer } from "./src/apiserver/server.js";
import { defaultHooks } from "./src/apiserver/wiring.js";

const s = await startApiServer({
  dataDir: "/tmp/scratch/data",
  bindAddress: "127.0.0.1",
  securePort: 16443,
  hooks: defaultHooks(),
});
console.log("up", s.url);
