export { CriLogEncoder, MAX_LINE_BYTES } from "./encoder.js";
export {
  CriLogFile,
  type CriLogFileOptions,
  type ReadLogsOptions,
  readLogs,
  rotateLogFile,
  systemClock,
} from "./files.js";
export {
  formatLogLine,
  formatTimestamp,
  LogFormatError,
  type LogMessage,
  type LogRecord,
  type LogStream,
  type LogTag,
  parseLogLine,
  parseTimestamp,
} from "./format.js";
export { type LogOptions, type LogOutput, LogSelector, selectLogs, tailStart } from "./reader.js";
export {
  allLogs,
  COMPRESS_SUFFIX,
  containerLogPath,
  DEFAULT_ROTATION_POLICY,
  POD_LOGS_ROOT,
  partitionRotated,
  planRotation,
  podLogsDirectory,
  type RotationPlan,
  type RotationPolicy,
  rotationStamp,
  TMP_SUFFIX,
} from "./rotation.js";
