/**
 * docker run's exit codes when the container's command cannot start
 * (pure): 127 when it does not exist, 126 when it cannot be executed,
 * from the message runc gives.
 */
export function startFailureExitCode(message: string): number | undefined {
  if (/executable file not found|no such file or directory/i.test(message)) return 127;
  if (/permission denied|exec format error/i.test(message)) return 126;
  return undefined;
}
