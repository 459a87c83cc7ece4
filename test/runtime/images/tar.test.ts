import assert from "node:assert/strict";
import { test } from "node:test";
import { TarFormatError } from "../../../src/runtime/images/errors.js";
import {
  END_OF_ARCHIVE,
  encodeGnuLongName,
  encodeHeader,
  padding,
} from "../../../src/runtime/images/tar-format.js";
import { readAll, readTar } from "../../../src/runtime/images/tar-stream.js";
import { buildTar, chunks } from "./helpers.js";

async function entries(tar: Buffer, chunkSize = 333) {
  const out: {
    name: string;
    type: string;
    data: string;
    linkname: string;
    xattrs: Record<string, Buffer>;
    mode: number;
    uid: number;
    mtime: number;
  }[] = [];
  for await (const { header, body } of readTar(chunks(tar, chunkSize))) {
    out.push({ ...header, data: (await readAll(body)).toString() });
  }
  return out;
}

test("entries written by our writer read back the same", async () => {
  const long = `${"d".repeat(120)}/${"f".repeat(120)}`;
  const tar = await buildTar([
    { name: "dir/", type: "dir", mode: 0o755 },
    { name: "dir/file", type: "file", mode: 0o4755, uid: 1000, data: "content" },
    { name: "dir/link", type: "symlink", linkname: "file" },
    { name: "dir/hard", type: "link", linkname: "dir/file" },
    { name: long, type: "file", data: "long" },
    { name: "ünïcode.txt", type: "file", data: "u" },
    {
      name: "caps",
      type: "file",
      data: "",
      xattrs: { "security.capability": Buffer.from([1, 0, 0, 2]) },
    },
    { name: "big-uid", type: "file", uid: 100_000_000, data: "x" },
  ]);
  const got = await entries(tar);
  assert.deepEqual(
    got.map((e) => [e.name, e.type, e.data]),
    [
      ["dir/", "dir", ""],
      ["dir/file", "file", "content"],
      ["dir/link", "symlink", ""],
      ["dir/hard", "link", ""],
      [long, "file", "long"],
      ["ünïcode.txt", "file", "u"],
      ["caps", "file", ""],
      ["big-uid", "file", "x"],
    ],
  );
  assert.equal(got[1]?.mode, 0o4755);
  assert.equal(got[1]?.uid, 1000);
  assert.equal(got[1]?.mtime, 1_700_000_000);
  assert.equal(got[2]?.linkname, "file");
  assert.deepEqual(got[6]?.xattrs["security.capability"], Buffer.from([1, 0, 0, 2]));
  assert.equal(got[7]?.uid, 100_000_000);
});

test("GNU long names and long link names are read", async () => {
  const name = `gnu/${"n".repeat(200)}`;
  const target = `t/${"l".repeat(150)}`;
  const tar = Buffer.concat([
    encodeGnuLongName(name),
    encodeHeader({ name: "short", type: "file", size: 2 }),
    Buffer.from("hi"),
    Buffer.alloc(padding(2)),
    encodeGnuLongName(target, "K"),
    encodeHeader({ name: "sym", type: "symlink" }),
    END_OF_ARCHIVE,
  ]);
  const got = await entries(tar, 100);
  assert.equal(got[0]?.name, name);
  assert.equal(got[0]?.data, "hi");
  assert.equal(got[1]?.linkname, target);
});

test("unread bodies are skipped", async () => {
  const tar = await buildTar([
    { name: "a", type: "file", data: "x".repeat(5000) },
    { name: "b", type: "file", data: "y" },
  ]);
  const names: string[] = [];
  for await (const { header } of readTar(chunks(tar))) names.push(header.name);
  assert.deepEqual(names, ["a", "b"]);
});

test("a truncated archive is an error, not a silent success", async () => {
  const tar = await buildTar([{ name: "a", type: "file", data: "x".repeat(5000) }]);
  await assert.rejects(entries(tar.subarray(0, 2000)), TarFormatError);
});

test("a corrupted header fails its checksum", async () => {
  const tar = await buildTar([{ name: "a", type: "file", data: "x" }]);
  tar[10] = 0x41;
  await assert.rejects(entries(tar), TarFormatError);
});
