export {
  type CgroupFiles,
  CgroupValueError,
  cgroupV1Files,
  cgroupV2Files,
  cpuMax,
  sharesToWeight,
  swapMax,
} from "./mapping.js";
export {
  type CgroupLayout,
  type CgroupMode,
  cgroupLayout,
  type ProcCgroup,
  parseProcCgroup,
} from "./mode.js";
export { controllerPaths, oomKillCount, readOomKills } from "./oom.js";
export { containerCgroupsPath, KUBEPODS, podCgroupParent, type QOS } from "./paths.js";
export {
  type CgroupUsage,
  parseFlatKeyed,
  readCgroupUsage,
  usageV1,
  usageV2,
} from "./stats.js";
export { CgroupTree, CgroupTreeError, cgroupLevels } from "./tree.js";
