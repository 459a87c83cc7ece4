import { execFile, spawn } from "node:child_process";
import { promisify } from "node:util";
import { ImageError } from "./errors.js";
import { formatXattrDump, parseXattrDump, type XattrMap } from "./xattr-dump.js";

/**
 * Filesystem operations Node has no API for (mknod, extended attributes),
 * through coreutils' mknod and the `attr` package's setfattr/getfattr.
 */

const run = promisify(execFile);

export class SystemToolError extends ImageError {
  override name = "SystemToolError";
}

async function tool(file: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(file, args, { maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") {
      throw new SystemToolError(
        `${file} is missing (apt-get install ${file === "mknod" ? "coreutils" : "attr"})`,
        {
          cause: err,
        },
      );
    }
    throw new SystemToolError(
      `${file} ${args.join(" ")} failed: ${e.stderr?.trim() || e.message}`,
      { cause: err },
    );
  }
}

/** mknod(2): a character or block device, or a FIFO. */
export async function mknod(
  path: string,
  node: { type: "char" | "block" | "fifo"; major?: number; minor?: number },
): Promise<void> {
  if (node.type === "fifo") {
    await tool("mknod", [path, "p"]);
    return;
  }
  await tool("mknod", [
    path,
    node.type === "char" ? "c" : "b",
    String(node.major ?? 0),
    String(node.minor ?? 0),
  ]);
}

/** Sets extended attributes on many paths in one setfattr run (symlinks not followed). */
export async function setXattrs(
  entries: readonly { path: string; xattrs: Record<string, Buffer> }[],
): Promise<void> {
  const script = formatXattrDump(entries);
  if (script === "") return;
  await new Promise<void>((resolve, reject) => {
    const child = spawn("setfattr", ["-h", "--restore=-"], { stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("error", (err) =>
      reject(new SystemToolError("setfattr is missing (apt-get install attr)", { cause: err })),
    );
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else reject(new SystemToolError(`setfattr --restore failed: ${stderr.trim()}`));
    });
    child.stdin.end(script);
  });
}

/** All extended attributes below a directory (recursive, symlinks not followed), by absolute path. */
export async function getXattrsRecursive(dir: string): Promise<XattrMap> {
  const out = await tool("getfattr", [
    "-R",
    "-P",
    "-h",
    "-d",
    "-m",
    "-",
    "-e",
    "hex",
    "--absolute-names",
    dir,
  ]).catch((err: unknown) => {
    // getfattr exits 1 when some files have no xattrs support; keep what it printed.
    const stdout = (err as { cause?: { stdout?: string } }).cause?.stdout;
    if (typeof stdout === "string") return stdout;
    throw err;
  });
  return parseXattrDump(out);
}
