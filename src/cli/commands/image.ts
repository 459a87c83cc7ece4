import { createReadStream, createWriteStream, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import {
  exportArchive,
  familiar,
  ImageStore,
  importArchive,
  parseReference,
  parseRegistriesYaml,
  pullImage,
  pushImage,
  type RegistriesConfig,
} from "../../runtime/images/index.js";

interface ImageFlags {
  dataDir: string;
  registries?: string;
}

function openStore(flags: ImageFlags): Promise<ImageStore> {
  return ImageStore.open(join(flags.dataDir, "images"));
}

function registries(flags: ImageFlags): RegistriesConfig | undefined {
  return flags.registries ? parseRegistriesYaml(readFileSync(flags.registries, "utf8")) : undefined;
}

/** `nginx:1.7.9` for docker.io/library/nginx:1.7.9, as docker prints names. */
const displayName = (name: string) => {
  try {
    return familiar(parseReference(name));
  } catch {
    return name;
  }
};

const short = (digest: string) => digest.replace(/^sha256:/, "").slice(0, 12);

/** `k8ts image ...`: the engine's image store, as `docker image` / `crictl images` work on theirs. */
export function registerImage(program: Command): void {
  const image = program
    .command("image")
    .description("pull, push, list, tag, remove, import and export images in the engine's store")
    .option(
      "--data-dir <dir>",
      "k8ts data directory (images live in <dir>/images)",
      "/var/lib/k8ts",
    )
    .option(
      "--registries <file>",
      "registries.yaml: mirrors, auth and TLS per registry (k3s format)",
    );
  const flags = () => image.opts<ImageFlags>();

  image
    .command("pull <reference>")
    .description("pull an image from its registry (or a configured mirror)")
    .action(async (reference: string) => {
      const store = await openStore(flags());
      const regs = registries(flags());
      const resolved = await pullImage(store, reference, {
        ...(regs ? { registries: regs } : {}),
        onProgress: (e) => process.stderr.write(`${e.kind} ${short(e.digest)}: ${e.status}\n`),
      });
      console.log(`${displayName(resolved.name ?? reference)} ${resolved.manifestDigest}`);
    });

  image
    .command("push <image> [target]")
    .description("push a local image (optionally under another name)")
    .action(async (name: string, target: string | undefined) => {
      const store = await openStore(flags());
      const regs = registries(flags());
      const result = await pushImage(store, name, {
        ...(target ? { target } : {}),
        ...(regs ? { registries: regs } : {}),
      });
      console.log(`${result.reference} ${result.digest}`);
    });

  image
    .command("ls")
    .description("list local images")
    .action(async () => {
      const store = await openStore(flags());
      const rows = (await store.list()).map((i) => ({
        name: i.name ? displayName(i.name) : "<none>",
        id: short(i.target.digest),
        size: i.target.size,
      }));
      console.log(`${"IMAGE".padEnd(50)} ${"DIGEST".padEnd(12)}`);
      for (const r of rows) console.log(`${r.name.padEnd(50)} ${r.id}`);
    });

  image
    .command("inspect <image>")
    .description("print an image's manifest, config and layers as JSON")
    .action(async (name: string) => {
      const store = await openStore(flags());
      console.log(JSON.stringify(await store.resolve(name), null, 2));
    });

  image
    .command("tag <source> <target>")
    .description("give a local image another name")
    .action(async (source: string, target: string) => {
      const store = await openStore(flags());
      const resolved = await store.get(source);
      if (!resolved) throw new Error(`no such image: ${source}`);
      await store.tag(target, resolved.target);
    });

  image
    .command("rm <images...>")
    .description("remove local image names; unreferenced blobs are collected")
    .action(async (names: string[]) => {
      const store = await openStore(flags());
      for (const n of names)
        for (const removed of await store.delete(n))
          console.log(`Untagged: ${displayName(removed)}`);
      await store.gc();
    });

  image
    .command("import <file>")
    .description("import a docker save or OCI archive")
    .option("--name <name>", "name for an archive that carries none")
    .action(async (file: string, o: { name?: string }) => {
      const store = await openStore(flags());
      const imported = await importArchive(
        store,
        createReadStream(file),
        o.name ? { name: o.name } : {},
      );
      for (const i of imported)
        console.log(`${i.name ? displayName(i.name) : "<none>"} ${i.digest}`);
    });

  image
    .command("export <file> <images...>")
    .description("export images as an OCI (default) or docker archive")
    .option("--format <format>", "oci or docker", "oci")
    .action(async (file: string, names: string[], o: { format: string }) => {
      if (o.format !== "oci" && o.format !== "docker")
        throw new Error("--format must be oci or docker");
      const store = await openStore(flags());
      const out = createWriteStream(file);
      await exportArchive(store, names, out, { format: o.format });
      // exportArchive ends the stream; wait until the file is flushed.
      if (!out.writableFinished)
        await new Promise<void>((resolve, reject) =>
          out.once("finish", resolve).once("error", reject),
        );
    });
}
